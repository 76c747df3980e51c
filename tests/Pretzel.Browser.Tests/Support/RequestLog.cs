using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Pretzel.Browser.Tests.Support;

/// <summary>
/// What the collector saw of the browser's <c>/v1/*</c> requests (method, path, origin, body length, status or
/// failure), added to the server in front of its own pipeline, for the tests' failure messages.
/// </summary>
public sealed class RequestLog : IStartupFilter
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            var request = context.Request;
            if (!request.Path.StartsWithSegments("/v1"))
            {
                await inner(context);
                return;
            }

            var what = $"{request.Method} {request.Path} origin={request.Headers.Origin} type={request.ContentType} length={request.ContentLength}";
            try
            {
                await inner(context);
                _lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what} -> {context.Response.StatusCode}{(context.RequestAborted.IsCancellationRequested ? " (client gone)" : "")}");
            }
            catch (Exception ex)
            {
                _lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what} -> {ex.GetType().Name}: {ex.Message}");
                throw;
            }
        });
        next(app);
    };
}
