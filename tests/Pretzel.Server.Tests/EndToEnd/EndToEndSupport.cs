using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.EndToEnd;

/// <summary>
/// The process-level tests start real <c>pretzel serve</c> processes and load them hard; they run one at a
/// time, after the rest of the assembly, so their timings do not depend on what else happens to run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end (server processes)";
}

/// <summary>Talks to a running server with a project's read key: SQL and the backlog.</summary>
internal sealed class QueryClient : IDisposable
{
    private readonly HttpClient _http;

    internal QueryClient(string url, string readKey)
    {
        _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readKey);
    }

    /// <summary>Runs <paramref name="sql"/> through <c>POST /api/v1/sql</c>; the rows as JSON objects.</summary>
    internal async Task<List<JsonElement>> SqlAsync(string sql)
    {
        using var response = await _http.PostAsync("api/v1/sql", new StringContent(JsonSerializer.Serialize(new { sql }), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /api/v1/sql {sql}\n→ {(int)response.StatusCode}: {Shorten(text)}");
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    internal async Task<long> ScalarAsync(string sql)
    {
        var rows = await SqlAsync(sql);
        Assert.Single(rows);
        return rows[0].EnumerateObject().First().Value.GetInt64();
    }

    /// <summary><c>GET /api/v1/project</c>'s backlog: accepted events not yet in the store.</summary>
    internal async Task<long> BacklogAsync()
    {
        using var response = await _http.GetAsync("api/v1/project");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/v1/project → {(int)response.StatusCode}: {Shorten(text)}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("backlog").GetInt64();
    }

    /// <summary>Polls until the backlog is 0 (fails after <paramref name="timeout"/>); returns how long it took.</summary>
    internal async Task<TimeSpan> WaitForEmptyBacklogAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long backlog = -1;
        while (clock.Elapsed < timeout)
        {
            backlog = await BacklogAsync();
            if (backlog == 0)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"the backlog is still {backlog} events after {timeout.TotalSeconds:0} s");
    }

    internal static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "…";

    public void Dispose() => _http.Dispose();
}

/// <summary>What happened to one load request.</summary>
internal sealed record LoadRequest(long Id, long StartedTicks, long EndedTicks, int Status, string? Error)
{
    internal bool Acked => Status == 200;
}

/// <summary>
/// Concurrent loaders posting <c>/v1/batch</c> requests of <see cref="EventsPerRequest"/> track events with unique
/// message ids <c>L{request:D7}-{k:D3}</c> (Basic auth <c>writeKey:</c>), recording the outcome of every request.
/// Requests are never cancelled by the test: a request ends with the server's answer or a transport error.
/// </summary>
internal sealed class BatchLoad : IAsyncDisposable
{
    internal const int EventsPerRequest = 100;
    internal const string Event = "Load Test";

    /// <summary>Length of the request part of a message id (<c>L0000001</c>).</summary>
    internal const int RequestIdLength = 8;

    private static long _lastRequestId;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<LoadRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loaders;
    private readonly TimeSpan _pauseAfterError;

    private BatchLoad(string url, string writeKey, int loaders, TimeSpan pauseAfterError)
    {
        _pauseAfterError = pauseAfterError;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        _http = new HttpClient(handler) { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        _loaders = [.. Enumerable.Range(0, loaders).Select(_ => Task.Run(LoopAsync))];
    }

    /// <summary>Starts <paramref name="loaders"/> loaders, each sending one request after the other.</summary>
    internal static BatchLoad Start(string url, string writeKey, int loaders, TimeSpan? pauseAfterError = null) =>
        new(url, writeKey, loaders, pauseAfterError ?? TimeSpan.FromMilliseconds(50));

    internal IReadOnlyList<LoadRequest> Requests => [.. _requests];

    internal long AckedRequests => _requests.Count(r => r.Acked);

    /// <summary>Stops sending new requests and waits for the ones in flight to end.</summary>
    internal async Task<IReadOnlyList<LoadRequest>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loaders);
        return Requests;
    }

    /// <summary>Sends one request of the load's shape and returns its outcome.</summary>
    internal static async Task<LoadRequest> SendOneAsync(string url, string writeKey)
    {
        await using var load = new BatchLoad(url, writeKey, 0, TimeSpan.Zero);
        return await load.SendAsync();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var request = await SendAsync();
            _requests.Enqueue(request);
            if (!request.Acked)
            {
                try
                {
                    await Task.Delay(_pauseAfterError, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task<LoadRequest> SendAsync()
    {
        var id = Interlocked.Increment(ref _lastRequestId);
        var started = Stopwatch.GetTimestamp();
        int status;
        string? error = null;
        try
        {
            using var content = new ByteArrayContent(Body(id));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            // Deliberately no cancellation token: a request that was sent is answered or fails on its own.
            using var response = await _http.PostAsync("v1/batch", content, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            status = (int)response.StatusCode;
            if (status != 200)
            {
                error = $"{status}: {QueryClient.Shorten(text)}";
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or SocketException)
        {
            status = 0;
            error = Describe(ex);
        }

        return new LoadRequest(id, started, Stopwatch.GetTimestamp(), status, error);
    }

    internal static string MessageId(long request, int k) =>
        "L" + request.ToString("D7", CultureInfo.InvariantCulture) + "-" + k.ToString("D3", CultureInfo.InvariantCulture);

    private static byte[] Body(long request)
    {
        var now = DateTime.UtcNow;
        using var buffer = new MemoryStream(EventsPerRequest * 200);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("sentAt", now);
            w.WriteStartArray("batch");
            for (var k = 0; k < EventsPerRequest; k++)
            {
                w.WriteStartObject();
                w.WriteString("type", "track");
                w.WriteString("event", Event);
                w.WriteString("messageId", MessageId(request, k));
                w.WriteString("userId", "load-user-" + (request % 97).ToString(CultureInfo.InvariantCulture));
                w.WriteString("timestamp", now.AddMilliseconds(-k));
                w.WriteStartObject("properties");
                w.WriteNumber("request", request);
                w.WriteNumber("k", k);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The innermost cause, e.g. "SocketException: Connection refused".</summary>
    internal static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == ex ? $"{ex.GetType().Name}: {ex.Message}" : $"{ex.GetType().Name} ← {inner.GetType().Name}: {inner.Message}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _http.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Checks a store's load events against the requests the server acknowledged.</summary>
internal static class LoadCheck
{
    /// <summary>Per load request found in the store: (events, distinct message ids).</summary>
    internal const string PerRequestSql =
        "select left(message_id, 8) as r, count(*) as n, count(distinct message_id) as d from events " +
        "where message_id like 'L%' and event = 'Load Test' group by 1";

    internal static Dictionary<long, (long Events, long Distinct)> Parse(IEnumerable<JsonElement> rows)
    {
        var found = new Dictionary<long, (long, long)>();
        foreach (var row in rows)
        {
            var r = row.GetProperty("r").GetString()!;
            found[long.Parse(r.AsSpan(1), CultureInfo.InvariantCulture)] = (Number(row.GetProperty("n")), Number(row.GetProperty("d")));
        }

        return found;
    }

    private static long Number(JsonElement e) => e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetInt64();

    /// <summary>
    /// Every acknowledged request must be stored whole (all its events, each once); a request that was not
    /// acknowledged may be stored whole, in part (torn tail of the log) or not at all, but never twice.
    /// Returns (acknowledged events, stored load events).
    /// </summary>
    internal static (long Acked, long Stored) AssertAckedStored(IEnumerable<LoadRequest> requests, Dictionary<long, (long Events, long Distinct)> stored, string when)
    {
        var acked = requests.Where(r => r.Acked).Select(r => r.Id).ToHashSet();
        var missing = acked.Where(id => !stored.TryGetValue(id, out var s) || s.Distinct != BatchLoad.EventsPerRequest).Order().ToList();
        Assert.True(missing.Count == 0,
            $"{when}: {missing.Count} of {acked.Count} acknowledged requests are not (wholly) in the store, e.g. " +
            string.Join(", ", missing.Take(10).Select(id => $"request {id}: {(stored.TryGetValue(id, out var s) ? s.Distinct : 0)} of {BatchLoad.EventsPerRequest} events")));
        var twice = stored.Where(s => s.Value.Events != s.Value.Distinct || s.Value.Distinct > BatchLoad.EventsPerRequest).Take(10).ToList();
        Assert.True(twice.Count == 0, $"{when}: message ids stored more than once, e.g. " + string.Join(", ", twice.Select(s => $"request {s.Key}: {s.Value.Events} rows, {s.Value.Distinct} ids")));
        return (acked.Count * (long)BatchLoad.EventsPerRequest, stored.Sum(s => s.Value.Events));
    }
}
