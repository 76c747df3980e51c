using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pretzel.Server.Http;

/// <summary>One error: a stable code, a message in words, and which message of a batch (<c>index</c>) and which field it concerns.</summary>
public sealed record ApiError(string Code, string Message, int? Index = null, string? Field = null);

/// <summary>The answer to a collector request: what was kept, what was refused and why.</summary>
public sealed record CollectResponse(bool Success, int Accepted, int Rejected, IReadOnlyList<ApiError> Errors)
{
    /// <summary>The first error's code, for clients that read one field (absent on success).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code => Success ? null : Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>The first error's message (absent on success).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message => Success ? null : Errors.Count > 0 ? Errors[0].Message : null;
}

/// <summary>JSON conventions of the HTTP API: snake_case keys, as in the CLI's JSON output.</summary>
internal static class ApiJson
{
    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>A request-level failure (bad key, unreadable body…) as a <see cref="CollectResponse"/>.</summary>
    internal static IResult Failure(int status, string code, string message, string? field = null, TimeSpan? retryAfter = null) =>
        new FailureResult(status, new CollectResponse(false, 0, 0, [new ApiError(code, message, null, field)]), retryAfter);

    private sealed class FailureResult(int status, CollectResponse body, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfter is { } wait)
            {
                httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Results.Json(body, Options, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}
