using System.Text.Json;
using Pretzel.Core.Storage;
using Pretzel.Server.Collect;
using Pretzel.Server.Http;
using Pretzel.Server.Projects;

namespace Pretzel.Server.Api;

/// <summary>A read-only SQL query for <c>POST /api/v1/sql</c>.</summary>
public sealed record SqlRequest(string? Sql);

/// <summary>
/// The query API under <c>/api/v1/</c>, authenticated with a project's read key and answering from that
/// project's store only. Rows come back as the CLI's JSON: an array of objects, one key per column; the
/// column order is also in the <c>Pretzel-Columns</c> header (a JSON array), so an empty result still names them.
/// </summary>
internal static partial class QueryEndpoints
{
    internal const string ColumnsHeader = "Pretzel-Columns";

    /// <summary>Rows one answer may hold; a larger result is refused (400 <c>invalid_sql</c>) rather than held in memory.</summary>
    internal const int MaxRows = 100_000;

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Query");
        api.MapPost("/sql", (HttpContext context, SqlRequest request, ProjectHub hub, CancellationToken ct) => SqlAsync(context, request.Sql, hub, ct))
            .WithName("sql")
            .WithSummary("Run one read-only SQL statement over the project's store (tables events, identities; views person_events, persons)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest)
            .Produces<CollectResponse>(StatusCodes.Status401Unauthorized);
        api.MapGet("/sql", (HttpContext context, string? q, ProjectHub hub, CancellationToken ct) => SqlAsync(context, q, hub, ct))
            .WithName("sql_get")
            .WithSummary("As POST /api/v1/sql, with the statement in the query string parameter q");
        MapReports(api);
        api.MapGet("/project", (HttpContext context, ProjectHub hub) =>
            {
                var (project, refused) = KeyAuth.Check(hub.Registry, KeyAuth.ReadKey(context), KeyKind.Read);
                if (refused is not null)
                {
                    return refused;
                }

                var runtime = hub.Get(project!.Name);
                string[] segments = [.. Pretzel.Analytics.Segments.RfmSegments.All.Select(s => "rfm:" + s),
                    .. from a in "ABC" from x in "XYZ" select $"abc_xyz:{a}{x}", .. runtime.Settings.Segments.Keys.Order(StringComparer.Ordinal)];
                return Results.Json(new ProjectStatus(project.Name, runtime.StoreDescription, runtime.Backlog, segments), ApiJson.Options);
            })
            .WithName("project")
            .WithSummary("The project of the read key: its name, its store, how many accepted events are still on their way into the store, and the segments the reports' in_segment filter takes")
            .Produces<ProjectStatus>();
    }

    private static Task<IResult> SqlAsync(HttpContext context, string? sql, ProjectHub hub, CancellationToken cancellationToken) =>
        RowsAsync(context, hub, () => string.IsNullOrWhiteSpace(sql)
            ? throw new BadParameterException("sql", "no SQL: send {\"sql\": \"SELECT …\"}", "missing_field")
            : store => store.QueryAsync(sql, MaxRows, cancellationToken), cancellationToken, scoped: false);

    private static QueryResult Table(IReadOnlyList<string> columns, IEnumerable<object?[]> rows) => new(columns, [.. rows]);

    /// <summary>
    /// The shape every row-returning endpoint shares: check the read key, let <paramref name="plan"/> read
    /// its parameters (a <see cref="BadParameterException"/> is a 400), run the query with the project's
    /// store to itself (a <see cref="StoreException"/> is a 400 <c>invalid_sql</c>), answer the rows.
    /// Every endpoint but SQL also takes the dashboard's filters (since, channel, in_segment): the query then runs
    /// over the store narrowed to them (<see cref="Pretzel.Analytics.Segments.ReportScope"/>).
    /// </summary>
    private static Task<IResult> RowsAsync(HttpContext context, ProjectHub hub, Func<Func<IEventStore, Task<QueryResult>>> plan, CancellationToken cancellationToken, bool scoped = true) =>
        RowsAsync(context, hub, _ => plan(), cancellationToken, scoped);

    private static async Task<IResult> RowsAsync(HttpContext context, ProjectHub hub, Func<ProjectRuntime, Func<IEventStore, Task<QueryResult>>> plan, CancellationToken cancellationToken, bool scoped = true)
    {
        var (project, refused) = KeyAuth.Check(hub.Registry, KeyAuth.ReadKey(context), KeyKind.Read);
        if (refused is not null)
        {
            return refused;
        }

        QueryResult result;
        try
        {
            var runtime = hub.Get(project!.Name);
            var query = plan(runtime);
            if (scoped)
            {
                if (Scope(context, runtime) is { IsEmpty: false } scope)
                {
                    var unscoped = query;
                    query = async store => await unscoped(await scope.ApplyAsync(store, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }

                // Reports (not SQL) are kept for the next identical request while the data stays the same.
                var compute = query;
                var key = context.Request.Path.Value + context.Request.QueryString.Value;
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                query = store => ReportCache.GetOrComputeAsync(store, key, time, compute, cancellationToken);
            }

            result = await runtime.WithStoreAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (BadParameterException ex)
        {
            return ApiJson.Failure(StatusCodes.Status400BadRequest, ex.Code, ex.Message, ex.Field);
        }
        catch (StoreException ex)
        {
            return ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_sql", ex.Message, "sql");
        }

        context.Response.Headers[ColumnsHeader] = JsonSerializer.Serialize(result.Columns, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
        return new RowsResult(result);
    }

    // The filters of the query string, checked (a bad one is a 400 naming it).
    private static Pretzel.Analytics.Segments.ReportScope Scope(HttpContext context, ProjectRuntime runtime)
    {
        var query = context.Request.Query;
        var scope = new Pretzel.Analytics.Segments.ReportScope
        {
            Since = query["since"].FirstOrDefault(), Channel = query["channel"].FirstOrDefault(), Segment = query["in_segment"].FirstOrDefault(),
            Custom = runtime.Settings.Segments,
        };
        try
        {
            _ = scope.SinceTime;
        }
        catch (Pretzel.Analytics.Paths.PathException ex)
        {
            throw new BadParameterException("since", ex.Message);
        }

        try
        {
            scope.Check();
        }
        catch (Pretzel.Analytics.Paths.PathException ex)
        {
            throw new BadParameterException("in_segment", ex.Message);
        }

        return scope;
    }

    private sealed class BadParameterException(string? field, string message, string code = "invalid_value") : Exception(message)
    {
        internal string? Field { get; } = field;

        internal string Code { get; } = code;
    }

    /// <summary>The project a read key belongs to, and the values its reports' <c>in_segment</c> filter takes.</summary>
    public sealed record ProjectStatus(string Project, string Store, long Backlog, IReadOnlyList<string> Segments);

    private sealed class RowsResult(QueryResult result) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
            RowJson.WriteRows(writer, result.Columns, result.Rows);
            await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
