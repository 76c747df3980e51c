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
internal static class QueryEndpoints
{
    internal const string ColumnsHeader = "Pretzel-Columns";

    /// <summary>Rows one answer may hold; a larger result is refused (400 <c>invalid_sql</c>) rather than held in memory.</summary>
    internal const int MaxRows = 100_000;

    /// <summary>Prediction models trained on the fly and evaluations, per project's event columns (see <see cref="Pretzel.Analytics.Prediction.PredictionModelCache"/>).</summary>
    private static readonly Pretzel.Analytics.Prediction.PredictionModelCache PredictionCache = new();

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
        api.MapGet("/funnel", (HttpContext context, ProjectHub hub, TimeProvider time, string? steps, string? window, string? step_window, string? order, bool? open,
                string? exclude, string? exclude_between, string? count, string? to, string? by, string? model, CancellationToken ct) =>
                FunnelAsync(context, hub, new Pretzel.Analytics.Funnels.FunnelArguments
                {
                    Steps = steps, Window = window, StepWindows = step_window, Order = order, Open = open ?? false,
                    Exclude = exclude, ExcludeBetween = exclude_between, Count = count, To = to, By = by,
                }, model, time, ct))
            .WithName("funnel")
            .WithSummary("The funnel of the project (same rows as `pretzel funnel --format json`; parameters as its options, snake_case)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/stages", (HttpContext context, ProjectHub hub, string? model, CancellationToken ct) =>
                RowsAsync(context, hub, () =>
                {
                    var resolved = BuiltInModel(model ?? "journey");
                    return async store => Table(Pretzel.Analytics.Stages.StageRow.Columns,
                        (await Pretzel.Analytics.Stages.StageQuery.RunAsync(store, resolved, null, ct).ConfigureAwait(false)).Select(r => r.Values()));
                }, ct))
            .WithName("stages")
            .WithSummary("A built-in stage model over the project (same rows as `pretzel stages --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        api.MapGet("/paths", (HttpContext context, ProjectHub hub, TimeProvider time, string? touch, string? conversion, string? lookback, bool? collapse,
                string? max_length, string? to, string? sort, int? top, string? after, string? before, string? between, int? depth, int? nodes, string? by, CancellationToken ct) =>
                ReportAsync(context, hub, time, runtime => BySegment(new Pretzel.Analytics.Paths.PathsReport
                {
                    Paths = new Pretzel.Analytics.Paths.PathArguments { Touch = touch, Conversion = conversion, Lookback = lookback, Collapse = collapse ?? false, MaxLength = max_length, To = to },
                    Sort = sort, Top = top, After = after, Before = before, Between = between, Depth = depth, Nodes = nodes,
                }, by, runtime), ct))
            .WithName("paths")
            .WithSummary("Paths of the project's journeys, or a flow around an event (same rows as `pretzel paths --format json`; parameters as its options, snake_case)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/graph", (HttpContext context, ProjectHub hub, TimeProvider time, string? touch, string? conversion, string? lookback, bool? collapse,
                string? max_length, string? to, int? order, string? view, int? top, CancellationToken ct) =>
                ReportAsync(context, hub, time, new Pretzel.Analytics.Paths.GraphReport
                {
                    Paths = new Pretzel.Analytics.Paths.PathArguments { Touch = touch, Conversion = conversion, Lookback = lookback, Collapse = collapse ?? false, MaxLength = max_length, To = to },
                    Order = order, View = view, Top = top,
                }, ct))
            .WithName("graph")
            .WithSummary("The touchpoint graph: view=nodes (default), transitions, black_holes or bright_paths (same rows as `pretzel graph --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/journeys", (HttpContext context, ProjectHub hub, string? model, string? gap, string? to, string? by, CancellationToken ct) =>
                RowsAsync(context, hub, () =>
                {
                    Pretzel.Analytics.Shapes.ShapeOptions options;
                    try
                    {
                        options = new Pretzel.Analytics.Shapes.ShapeOptions
                        {
                            Model = BuiltInModel(model ?? "journey"),
                            Gap = gap is null ? Pretzel.Analytics.Shapes.ShapeOptions.DefaultGap : Pretzel.Analytics.Funnels.FunnelArguments.ParseDuration(gap, "gap"),
                            To = to is null ? null : Pretzel.Analytics.Funnels.FunnelArguments.ParseTime(to),
                            By = by,
                        };
                        options.Validate();
                    }
                    catch (Exception ex) when (ex is Pretzel.Analytics.Funnels.FunnelException or Pretzel.Analytics.Shapes.ShapeException)
                    {
                        throw new BadParameterException(null, ex.Message);
                    }

                    return async store => Table(Pretzel.Analytics.Shapes.ShapeRow.Columns,
                        (await Pretzel.Analytics.Shapes.ShapeQuery.RunAsync(store, options, ct).ConfigureAwait(false)).Select(r => r.Values()));
                }, ct))
            .WithName("journeys")
            .WithSummary("Journey shape over a built-in stage model (same rows as `pretzel journeys --shape --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/attribution", (HttpContext context, ProjectHub hub, TimeProvider time, string? touch, string? conversion, string? lookback, bool? collapse,
                string? max_length, string? to, string? models, int? markov_order, string? half_life, string? position_weights, bool? compare, string? by, CancellationToken ct) =>
                ReportAsync(context, hub, time, runtime => BySegment(new Pretzel.Analytics.Attribution.AttributionReport
                {
                    Paths = new Pretzel.Analytics.Paths.PathArguments { Touch = touch, Conversion = conversion, Lookback = lookback, Collapse = collapse ?? false, MaxLength = max_length, To = to },
                    Models = models, MarkovOrder = markov_order, HalfLife = half_life, PositionWeights = position_weights, Compare = compare ?? false,
                }, by, runtime), ct))
            .WithName("attribution")
            .WithSummary("Attribution of the project's conversions and revenue to channels by model (same rows as `pretzel attribution --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/roi", (HttpContext context, ProjectHub hub, TimeProvider time, string? model, string? by, string? conversion, string? lookback,
                string? to, CancellationToken ct) =>
                ReportAsync(context, hub, time, new Pretzel.Analytics.Roi.RoiReport
                {
                    Paths = new Pretzel.Analytics.Paths.PathArguments { Conversion = conversion, Lookback = lookback, To = to },
                    Model = model,
                    By = by,
                }, ct))
            .WithName("roi")
            .WithSummary("Cost, attributed conversions and revenue, CPA, ROAS and ROMI per channel or campaign (same rows as `pretzel roi --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/retention", (HttpContext context, ProjectHub hub, TimeProvider time, string? cohort, string? start_event, string? return_event,
                string? time_zone, string? to, string? by, bool? summary, string? churn_after, string? fit, int? horizon, CancellationToken ct) =>
                ReportAsync(context, hub, time, runtime => new Pretzel.Analytics.Retention.RetentionReport
                {
                    Cohort = cohort, StartEvent = start_event, ReturnEvent = return_event, TimeZone = time_zone ?? runtime.Settings.TimeZone, To = to, By = by,
                    Summary = summary ?? false, ChurnAfter = churn_after, Fit = fit, Horizon = horizon,
                }, ct))
            .WithName("retention")
            .WithSummary("Retention cohorts, their summary or the sBG fit, in the project's time zone (same rows as `pretzel retention --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/loyalty", (HttpContext context, ProjectHub hub, TimeProvider time, string? to, string? from, string? purchase, string? advocacy_events,
                string? refusal_events, string? churn_events, int? repeat_purchases, int? loyal_purchases, string? churn_after, CancellationToken ct) =>
                ReportAsync(context, hub, time, new Pretzel.Analytics.Loyalty.LoyaltyReport
                {
                    To = to, From = from, Purchase = purchase, AdvocacyEvents = advocacy_events, RefusalEvents = refusal_events, ChurnEvents = churn_events,
                    RepeatPurchases = repeat_purchases, LoyalPurchases = loyal_purchases, ChurnAfter = churn_after,
                }, ct))
            .WithName("loyalty")
            .WithSummary("The loyalty pyramid at a date, or the movements between two dates (same rows as `pretzel loyalty --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/segments", (HttpContext context, ProjectHub hub, TimeProvider time, string? kind, bool? people, string[]? segment, string? purchase_event,
                string? refund_event, string? to, string? abc, string? xyz, string? period, string? time_zone, CancellationToken ct) =>
                ReportAsync(context, hub, time, runtime => new Pretzel.Analytics.Segments.SegmentsReport
                {
                    Kind = kind, People = people ?? false, Segment = segment is { Length: > 0 } ? segment : null, PurchaseEvent = purchase_event, RefundEvent = refund_event,
                    To = to, Abc = abc, Xyz = xyz, Period = period, TimeZone = time_zone ?? runtime.Settings.TimeZone,
                }, ct))
            .WithName("segments")
            .WithSummary("RFM or ABC/XYZ segments, or custom segments from SQL conditions (segment=NAME=SQL, read-only), as a summary or per person (same rows as `pretzel segments --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/aarrr", (HttpContext context, ProjectHub hub, TimeProvider time, string? period, string? to, string? time_zone, CancellationToken ct) =>
                ReportAsync(context, hub, time, runtime =>
                {
                    var rules = runtime.Settings.Aarrr;
                    static string? Join(IReadOnlyList<string>? names) => names is null ? null : string.Join(',', names);
                    return new Pretzel.Analytics.Aarrr.AarrrReport
                    {
                        Period = period, To = to, TimeZone = time_zone ?? runtime.Settings.TimeZone,
                        AcquisitionEvents = Join(rules.AcquisitionEvents), ActivationEvents = Join(rules.ActivationEvents), RetentionEvents = Join(rules.RetentionEvents),
                        RevenueEvents = Join(rules.RevenueEvents), ReferralEvents = Join(rules.ReferralEvents), ReferredChannels = Join(rules.ReferredChannels),
                    };
                }, ct))
            .WithName("aarrr")
            .WithSummary("Acquisition, activation, retention, revenue and referral per period, by the project file's rules (same rows as `pretzel aarrr --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/journey-map", (HttpContext context, ProjectHub hub, TimeProvider time, string? model, string? touch, int? top, string? to, CancellationToken ct) =>
                model is not null && Pretzel.Analytics.Stages.BuiltInModels.Find(model) is null
                    ? Task.FromResult(ApiJson.Failure(StatusCodes.Status400BadRequest, "invalid_value", $"model '{model}' is not a built-in model ({string.Join(", ", Pretzel.Analytics.Stages.BuiltInModels.Names)})", "model"))
                    : ReportAsync(context, hub, time, new Pretzel.Analytics.JourneyMap.JourneyMapReport { Model = model, Touch = touch, Top = top, To = to }, ct))
            .WithName("journey-map")
            .WithSummary("The customer-journey map over a built-in stage model: per stage, people, conversion, time in stage and touchpoints (same rows as `pretzel journey-map --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/clv", (HttpContext context, ProjectHub hub, TimeProvider time, string? purchase, string? calibration_end, string? horizon, string? unit,
                double? discount, bool? @params, int? top, CancellationToken ct) =>
                ReportAsync(context, hub, time, new Pretzel.Analytics.Lifetime.ClvReport
                {
                    Purchase = purchase, CalibrationEnd = calibration_end, Horizon = horizon, Unit = unit, Discount = discount, Params = @params ?? false, Top = top,
                }, ct))
            .WithName("clv")
            .WithSummary("BG/NBD and Gamma-Gamma lifetime value per customer, or the fitted parameters (same rows as `pretzel clv --format json`)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
        api.MapGet("/predict", (HttpContext context, ProjectHub hub, TimeProvider time, string? view, string? model, int? top, string? touch, string? conversion,
                string? lookback, string? horizon, string? cutoff, string? to, int? order, string? touches, int? version, CancellationToken ct) =>
                ReportAsync(context, hub, time, runtime => new Pretzel.Analytics.Prediction.PredictReport
                {
                    View = view ?? "open", Model = model, Top = top, Touch = touch, Conversion = conversion, Lookback = lookback, Horizon = horizon,
                    Cutoff = cutoff, To = to, Order = order, Touches = touches, Version = version,
                    // Models saved with `pretzel predict --train --db DATA/PROJECT/events.duckdb` (while the server is stopped).
                    ModelFolder = Path.Combine(runtime.Folder, "events.duckdb.models"),
                    // Without a saved model, one is trained once per data version and kept (not once per request).
                    Cache = PredictionCache,
                }, ct))
            .WithName("predict")
            .WithSummary("Open prospects scored by their chance to convert within the horizon, with the next best touch (view=open, default); the models' holdout metrics (view=evaluate), calibration (view=calibration) or the touches' total expected gain (view=next_touches): same rows as `pretzel predict --format json`")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<CollectResponse>(StatusCodes.Status400BadRequest);
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

    private static Task<IResult> FunnelAsync(HttpContext context, ProjectHub hub, Pretzel.Analytics.Funnels.FunnelArguments arguments, string? model, TimeProvider time, CancellationToken cancellationToken) =>
        RowsAsync(context, hub, runtime =>
        {
            Pretzel.Analytics.Funnels.FunnelOptions options;
            var bySegment = Pretzel.Analytics.Segments.SegmentedReport.Asks(arguments.By) ? arguments.By : null;
            try
            {
                options = (arguments with { Model = model is null ? null : BuiltInModel(model), By = bySegment is null ? arguments.By : null }).ToOptions(time.GetUtcNow().UtcDateTime);
            }
            catch (Pretzel.Analytics.Funnels.FunnelException ex)
            {
                throw new BadParameterException(null, ex.Message);
            }

            if (bySegment is not null)
            {
                // By customer segment (segment:rfm, segment:abc_xyz or a segment of the project file): the funnel once per segment.
                var report = new Pretzel.Analytics.Segments.SegmentedReport(new Pretzel.Analytics.Funnels.FunnelRowsReport(options), bySegment, runtime.Settings.Segments);
                var now = time.GetUtcNow().UtcDateTime;
                try
                {
                    report.Check(now);
                }
                catch (Pretzel.Analytics.Paths.PathException ex)
                {
                    throw new BadParameterException("by", ex.Message);
                }

                return async store =>
                {
                    var table = await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
                    return Table(table.Columns, table.Rows);
                };
            }

            return async store => Table(Pretzel.Analytics.Funnels.FunnelRow.ColumnsBy(options.By),
                (await Pretzel.Analytics.Funnels.FunnelQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false)).Select(r => r.ValuesBy(options.By)));
        }, cancellationToken);

    // by=segment:rfm|segment:abc_xyz|segment:NAME: the report once per customer segment, as the CLI's --by (any other by is refused by its check).
    private static Pretzel.Analytics.Paths.IReport BySegment(Pretzel.Analytics.Paths.IReport report, string? by, ProjectRuntime runtime) =>
        by is null ? report : new Pretzel.Analytics.Segments.SegmentedReport(report, by, runtime.Settings.Segments);

    // Built-in models only: a path would let a read key make the server read files.
    private static Pretzel.Analytics.Stages.StageModel BuiltInModel(string model) =>
        Pretzel.Analytics.Stages.BuiltInModels.Find(model)
            ?? throw new BadParameterException("model", $"model '{model}' is not a built-in model ({string.Join(", ", Pretzel.Analytics.Stages.BuiltInModels.Names)})");

    // A report from text options: the options are checked first (a PathException is a 400 naming them), then run against the store.
    private static Task<IResult> ReportAsync(HttpContext context, ProjectHub hub, TimeProvider time, Pretzel.Analytics.Paths.IReport report, CancellationToken cancellationToken) =>
        ReportAsync(context, hub, time, _ => report, cancellationToken);

    // As above, for reports that depend on the project's settings (e.g. its time zone).
    private static Task<IResult> ReportAsync(HttpContext context, ProjectHub hub, TimeProvider time, Func<ProjectRuntime, Pretzel.Analytics.Paths.IReport> reportFor, CancellationToken cancellationToken) =>
        RowsAsync(context, hub, runtime =>
        {
            var report = reportFor(runtime);
            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                report.Check(now);
            }
            catch (Pretzel.Analytics.Paths.PathException ex)
            {
                throw new BadParameterException(null, ex.Message);
            }

            return async store =>
            {
                try
                {
                    var table = await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
                    return Table(table.Columns, table.Rows);
                }
                catch (Pretzel.Analytics.Paths.PathException ex)
                {
                    throw new BadParameterException(null, ex.Message);
                }
            };
        }, cancellationToken);

    private static QueryResult Table(IReadOnlyList<string> columns, IEnumerable<object?[]> rows) => new(columns, [.. rows]);

    /// <summary>
    /// The shape every row-returning endpoint shares: check the read key, let <paramref name="plan"/> read
    /// its parameters (a <see cref="BadParameterException"/> is a 400), run the query with the project's
    /// store to itself (a <see cref="StoreException"/> is a 400 <c>invalid_sql</c>), answer the rows.
    /// Every endpoint but SQL also takes the dashboard's filters (<see cref="ScopeParameters"/>): the query then runs
    /// over the store narrowed to them (<see cref="Pretzel.Analytics.Segments.ReportScope"/>).
    /// </summary>
    private static Task<IResult> RowsAsync(HttpContext context, ProjectHub hub, Func<Func<IEventStore, Task<QueryResult>>> plan, CancellationToken cancellationToken, bool scoped = true) =>
        RowsAsync(context, hub, _ => plan(), cancellationToken, scoped);

    /// <summary>The query parameters that narrow any report: a start date, a channel, a customer segment.</summary>
    internal static IReadOnlyList<string> ScopeParameters { get; } = ["since", "channel", "in_segment"];

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
            scope.Check();
        }
        catch (Pretzel.Analytics.Paths.PathException ex)
        {
            throw new BadParameterException(ex.Message.StartsWith("segment", StringComparison.Ordinal) ? "in_segment" : "since", ex.Message);
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
