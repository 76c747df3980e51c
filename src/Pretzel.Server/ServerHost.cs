using System.Reflection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Pretzel.Server.Api;
using Pretzel.Server.Collect;
using Pretzel.Server.Dashboard;
using Pretzel.Server.Http;
using Pretzel.Server.Projects;
using Prometheus;

namespace Pretzel.Server;

/// <summary>Builds the Pretzel web application: collector, query API, dashboard, OpenAPI document, health, metrics and the browser snippet.</summary>
public static class ServerHost
{
    /// <summary>
    /// Builds the application from command-line style <paramref name="args"/> (ASP.NET Core configuration:
    /// <c>--urls</c>, <c>--Pretzel:DataDirectory</c>, …); <paramref name="configure"/> may adjust the builder.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<DashboardSessions>();
        builder.Services.AddSingleton(sp => new ProjectRegistry(sp.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectory));
        builder.Services.AddSingleton<ProjectHub>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectHub>());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy);
        builder.Services.AddCors(o => o.AddPolicy(CollectorEndpoints.CorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST").SetPreflightMaxAge(TimeSpan.FromHours(1))));
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Pretzel";
            doc.Info.Description = "Segment-compatible collector (/v1/*, write key as the Basic-auth user name) and query API (/api/v1/*, read key as a Bearer token).";
            return Task.CompletedTask;
        }));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => ServerFile.Write(app));
        app.Lifetime.ApplicationStopped.Register(() => ServerFile.Delete(app));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (ProjectUnavailableException ex) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ApiJson.Failure(StatusCodes.Status503ServiceUnavailable, "storage_unavailable", ex.Message, retryAfter: TimeSpan.FromSeconds(30)).ExecuteAsync(context).ConfigureAwait(false);
            }
        });
        app.UseCors();
        CollectorEndpoints.Map(app);
        QueryEndpoints.Map(app);
        DashboardEndpoints.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/health", (ProjectHub hub) => Results.Json(new { status = "ok", projects = hub.Open.Count(), backlog = hub.Open.Sum(p => p.Backlog) }))
            .WithTags("Operations").WithSummary("Liveness: 200 while the server runs");
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ServerMetrics>().Registry);
        var snippet = ReadAsset("pretzel.js");
        app.MapGet("/pretzel.js", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                context.Response.Headers.AccessControlAllowOrigin = "*";
                return Results.Bytes(snippet, "text/javascript; charset=utf-8");
            })
            .WithTags("Collector").WithSummary("The first-party browser snippet");
        return app;
    }

    private static byte[] ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Pretzel.Server.Assets." + name)
            ?? throw new InvalidOperationException($"asset {name} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
