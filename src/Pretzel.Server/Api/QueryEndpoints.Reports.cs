using Pretzel.Core.Storage;
using Pretzel.Server.Collect;
using Pretzel.Server.Http;

namespace Pretzel.Server.Api;

/// <summary>
/// The analysis reports of the query API (<c>/api/v1/funnel</c> … <c>/api/v1/predict</c>): each the rows of the CLI
/// command of the same name, with its options as snake_case parameters, over the key's project.
/// </summary>
internal static partial class QueryEndpoints
{
    /// <summary>Prediction models trained on the fly and evaluations, per project's event columns (see <see cref="Pretzel.Analytics.Prediction.PredictionModelCache"/>).</summary>
    private static readonly Pretzel.Analytics.Prediction.PredictionModelCache PredictionCache = new();

    private static void MapReports(RouteGroupBuilder api)
    {
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
    }

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
}
