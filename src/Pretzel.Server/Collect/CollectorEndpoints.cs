using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using Pretzel.Core.Events;
using Pretzel.Ingest.Collect;
using Pretzel.Server.Http;
using Pretzel.Server.Projects;

namespace Pretzel.Server.Collect;

/// <summary>
/// The Segment HTTP Tracking API: <c>POST /v1/{track,page,screen,identify,alias,group,batch}</c> (and
/// analytics.js's short forms <c>/v1/t</c>, <c>/v1/p</c>, …). Policy for a batch: each message is checked on
/// its own; the valid ones are kept (200, with the refused ones listed by index), and only a request whose
/// every message is refused gets 400. A 200 is sent only after the kept events are on disk.
/// </summary>
internal static class CollectorEndpoints
{
    internal const string CorsPolicy = "collector";
    private const int MaxDepth = 32;

    /// <summary>Refused messages listed in one answer; <c>rejected</c> still counts them all.</summary>
    internal const int MaxListedErrors = 100;
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), SkipValidation = true };

    private static readonly Dictionary<string, EventType?> Paths = new(StringComparer.Ordinal)
    {
        ["track"] = EventType.Track,
        ["t"] = EventType.Track,
        ["page"] = EventType.Page,
        ["p"] = EventType.Page,
        ["screen"] = EventType.Screen,
        ["s"] = EventType.Screen,
        ["identify"] = EventType.Identify,
        ["i"] = EventType.Identify,
        ["alias"] = EventType.Alias,
        ["a"] = EventType.Alias,
        ["group"] = EventType.Group,
        ["g"] = EventType.Group,
        ["batch"] = null,
        ["b"] = null,
        ["import"] = null,
    };

    internal static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").RequireCors(CorsPolicy).WithTags("Collector");
        foreach (var (path, type) in Paths)
        {
            var builder = group.MapPost("/" + path, (HttpContext context, ProjectHub hub, ServerMetrics metrics, IOptions<ServerOptions> options, TimeProvider time, CancellationToken ct) =>
                    CollectAsync(context, type, hub, metrics, options.Value, time, ct))
                .Produces<CollectResponse>(StatusCodes.Status200OK)
                .Produces<CollectResponse>(StatusCodes.Status400BadRequest)
                .Produces<CollectResponse>(StatusCodes.Status401Unauthorized)
                .Produces<CollectResponse>(StatusCodes.Status413PayloadTooLarge)
                .Produces<CollectResponse>(StatusCodes.Status429TooManyRequests)
                .Produces<CollectResponse>(StatusCodes.Status503ServiceUnavailable);
            if (path.Length == 1 || path == "import")
            {
                builder.ExcludeFromDescription();
            }
            else
            {
                builder.WithName("collect_" + path).WithSummary(type is null
                    ? "Send up to 500 KB of messages of any type: {\"batch\": [...], \"sentAt\": ...}"
                    : $"Send one {path} message (at most 32 KB)");
            }
        }
    }

    private static async Task<IResult> CollectAsync(HttpContext context, EventType? impliedType, ProjectHub hub, ServerMetrics metrics,
        ServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await HandleAsync(context, impliedType, hub, metrics, options, time, cancellationToken).ConfigureAwait(false);
        var endpoint = impliedType is null ? "batch" : impliedType.Value.Name();
        metrics.RequestLatency.WithLabels(endpoint).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new CountedResult(result, endpoint, metrics);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, EventType? impliedType, ProjectHub hub, ServerMetrics metrics,
        ServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow().UtcDateTime;
        var headerKey = KeyAuth.FromHeader(context.Request);
        ProjectRecord? project = null;
        if (headerKey is not null)
        {
            // Authenticate before reading the body, so strangers cost no parsing.
            (project, var refused) = KeyAuth.Check(hub.Registry, headerKey, KeyKind.Write);
            if (refused is not null)
            {
                return refused;
            }
        }

        var limit = impliedType is null ? options.MaxBatchBytes : options.MaxEventBytes;
        var (body, failure) = await RequestBody.ReadAsync(context, limit, impliedType is null ? "batch_too_large" : "event_too_large", cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        using (body)
        {
            var bytes = body!.Memory;
            if (bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            if (!Utf8.IsValid(bytes.Span))
            {
                return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_encoding", "the body is not valid UTF-8 text");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            }
            catch (JsonException ex)
            {
                var reason = bytes.IsEmpty ? "the body is empty" : ex.Message.Split(" LineNumber", 2)[0].Split(" Path:", 2)[0];
                return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_json", $"the body is not a JSON object: {reason}");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_json", $"the body must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
                }

                if (!HasReadableKeys(root))
                {
                    return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_json", "a key of the body holds an escape of a lone UTF-16 surrogate (not valid Unicode)");
                }

                if (project is null)
                {
                    var bodyKey = root.TryGetProperty("writeKey", out var k) && k.ValueKind == JsonValueKind.String && ReceivedBatch.TryGetString(k, out var text) ? text : null;
                    (project, var refused) = KeyAuth.Check(hub.Registry, string.IsNullOrEmpty(bodyKey) ? null : bodyKey, KeyKind.Write);
                    if (refused is not null)
                    {
                        return refused;
                    }
                }

                return await AcceptAsync(root, bytes.Length, impliedType, project!, hub, metrics, options, receivedAt).ConfigureAwait(false);
            }
        }
    }

    private static async Task<IResult> AcceptAsync(JsonElement root, int bodyLength, EventType? impliedType, ProjectRecord project, ProjectHub hub, ServerMetrics metrics,
        ServerOptions options, DateTime receivedAt)
    {
        DateTime? sentAt = null;
        // A batch's sentAt applies to all its messages; a single message's own sentAt is checked with the message.
        if (impliedType is null && root.TryGetProperty("sentAt", out var sentElement) && sentElement.ValueKind != JsonValueKind.Null)
        {
            if (!ReceivedBatch.TryParseTime(sentElement, out var s))
            {
                return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_timestamp", "sentAt is not an ISO-8601 date-time", "sentAt");
            }

            sentAt = s;
        }

        var messages = new List<JsonElement>();
        if (impliedType is null)
        {
            if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
            {
                return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_json", "a batch body needs \"batch\": an array of messages", "batch");
            }

            messages.AddRange(batch.EnumerateArray());
        }
        else
        {
            messages.Add(root);
        }

        var runtime = hub.Get(project.Name);
        if (runtime.Backlog > options.MaxBacklogEvents)
        {
            return ApiJson.Failure(StatusCodes.Status503ServiceUnavailable, "backlog_full",
                $"the store is {runtime.Backlog:N0} events behind; retry later", retryAfter: TimeSpan.FromSeconds(5));
        }

        var validator = new ReceivedBatch(receivedAt, sentAt);
        var errors = new List<ApiError>();
        var rejected = 0;
        // Sized from the body, not the message count: 500 KB of "{}" holds 170k messages.
        var lines = new ArrayBufferWriter<byte>(Math.Clamp(bodyLength * 2, 256, 4 * options.MaxBatchBytes));
        var accepted = 0;

        void Refuse(ApiError error)
        {
            // Every refusal is counted; the answer lists the first MaxListedErrors, so it stays small.
            rejected++;
            metrics.Rejected.WithLabels(project.Name, error.Code).Inc();
            if (errors.Count < MaxListedErrors)
            {
                errors.Add(error);
            }
        }

        using (var writer = new Utf8JsonWriter(lines, LineOptions))
        {
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                int? index = impliedType is null ? i : null;
                if (impliedType is null && message.ValueKind == JsonValueKind.Object && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(message).Length > options.MaxEventBytes)
                {
                    Refuse(new ApiError("event_too_large", $"the message is larger than {options.MaxEventBytes / 1024} KB", index));
                    continue;
                }

                if (!validator.TryAccept(message, impliedType, out var e, out var error))
                {
                    Refuse(new ApiError(error!.Code, error.Message, index, error.Field));
                    continue;
                }

                EventJsonLine.Write(writer, e!);
                writer.Flush();
                writer.Reset();
                lines.Write("\n"u8);
                accepted++;
            }
        }

        if (accepted == 0)
        {
            return rejected == 0
                ? Results.Json(new CollectResponse(true, 0, 0, []), ApiJson.Options)
                : Results.Json(new CollectResponse(false, 0, rejected, errors), ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        if (!runtime.TryAppend(lines.WrittenSpan.ToArray(), accepted, out var durable))
        {
            return ApiJson.Failure(StatusCodes.Status429TooManyRequests, "queue_full", "too many requests are waiting to be written; retry shortly", retryAfter: TimeSpan.FromSeconds(1));
        }

        try
        {
            // Deliberately not cancelled with the request: once queued, the events are written either way.
            await durable.ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return ApiJson.Failure(StatusCodes.Status503ServiceUnavailable, "storage_unavailable", ex.Message, retryAfter: TimeSpan.FromSeconds(5));
        }

        metrics.Accepted.WithLabels(project.Name).Inc(accepted);
        return Results.Json(new CollectResponse(true, accepted, rejected, errors), ApiJson.Options);
    }

    // Looking a key up unescapes the keys it passes, and an escaped lone surrogate ("\ud800") makes that throw.
    private static bool HasReadableKeys(JsonElement root)
    {
        try
        {
            foreach (var p in root.EnumerateObject())
            {
                _ = p.Name;
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class CountedResult(IResult inner, string endpoint, ServerMetrics metrics) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await inner.ExecuteAsync(httpContext).ConfigureAwait(false);
            metrics.Requests.WithLabels(endpoint, httpContext.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        }
    }
}
