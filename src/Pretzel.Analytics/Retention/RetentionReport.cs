using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Retention;

/// <summary>
/// What <c>pretzel retention</c> and <c>/api/v1/retention</c> answer, from text options: the cohort table, the
/// summary (repeat rate, time between returns, churn) or the sBG fit and projection.
/// </summary>
public sealed record RetentionReport : IReport
{
    /// <summary><c>day</c>, <c>week</c> or <c>month</c> (default).</summary>
    public string? Cohort { get; init; }

    /// <summary>Start events, comma-separated (default: any event, i.e. first seen).</summary>
    public string? StartEvent { get; init; }

    /// <summary>Return events, comma-separated (default: any event).</summary>
    public string? ReturnEvent { get; init; }

    /// <summary>IANA time zone where periods start (default the project's, else UTC).</summary>
    public string? TimeZone { get; init; }

    /// <summary>End of the analysis (default: the store's last event).</summary>
    public string? To { get; init; }

    /// <summary><c>first_touch_channel</c> to group cohorts by acquisition channel; <c>segment:rfm</c> or <c>segment:abc_xyz</c> by segment (at the end of the analysis).</summary>
    public string? By { get; init; }

    /// <summary>Repeat rate, median days between returns and churn per cohort instead of the cohort table.</summary>
    public bool Summary { get; init; }

    /// <summary>With <see cref="Summary"/>: churned = no event for this long before the end (default 90d).</summary>
    public string? ChurnAfter { get; init; }

    /// <summary><c>sbg</c>: fit the shifted-beta-geometric model to the cohorts' survival and project it.</summary>
    public string? Fit { get; init; }

    /// <summary>With <see cref="Fit"/>: periods to project (default 12 beyond the oldest cohort's age).</summary>
    public int? Horizon { get; init; }

    public const string BySegmentRfm = "segment:rfm";

    public const string BySegmentAbcXyz = "segment:abc_xyz";

    /// <summary>The options, given the end of the analysis; throws <see cref="PathException"/> naming a bad one.</summary>
    public RetentionOptions Options(DateTime to)
    {
        var unit = ReportArguments.Period(Cohort, "--cohort");
        var zone = ReportArguments.TimeZone(TimeZone);

        TimeSpan churn;
        try
        {
            churn = ChurnAfter is null ? TimeSpan.FromDays(90) : FunnelArguments.ParseDuration(ChurnAfter, "--churn-after");
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }

        if (Fit is not (null or "sbg"))
        {
            throw new PathException($"--fit {Fit}: expected sbg");
        }

        if (Fit is not null && (Summary || By is not null))
        {
            throw new PathException("--fit sbg fits all cohorts together: leave out --summary and --by");
        }

        if (Horizon is < 1 or > 1000)
        {
            throw new PathException($"--horizon {Horizon}: expected 1 to 1000 periods");
        }

        if (ChurnAfter is not null && !Summary)
        {
            throw new PathException("--churn-after goes with --summary");
        }

        if (By is not (null or RetentionOptions.FirstTouchChannel or BySegmentRfm or BySegmentAbcXyz))
        {
            throw new PathException($"--by {By}: expected {RetentionOptions.FirstTouchChannel}, {BySegmentRfm} or {BySegmentAbcXyz}");
        }

        var options = new RetentionOptions
        {
            Segments = By is BySegmentRfm or BySegmentAbcXyz ? new Dictionary<string, string>() : null,
            Unit = unit,
            StartEvents = ReportArguments.Names(StartEvent),
            ReturnEvents = ReportArguments.Names(ReturnEvent),
            TimeZone = zone,
            To = to,
            By = By,
            ChurnAfter = churn,
        };
        options.Validate();
        return options;
    }

    public void Check(DateTime now)
    {
        _ = Options(To is null ? now : ReportArguments.Time(To!, "--to"));
    }

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Check(now);
        if (RetentionPushDown.Applies(store, this))
        {
            return await RetentionPushDown.RunAsync(store, this, now, cancellationToken).ConfigureAwait(false);
        }

        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        return Run(columns, now);
    }

    /// <summary>The report over event columns already read.</summary>
    public ReportTable Run(EventColumns columns, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var to = To is not null ? ReportArguments.Time(To!, "--to") : columns.Count > 0 ? EventTime.FromMicros(columns.Micros.Max()) : now;
        var options = Options(to);
        if (options.Segments is not null)
        {
            // Segments as of the end of the analysis, over the same periods and time zone.
            var scores = Segments.SegmentKernel.Compute(columns, new Segments.SegmentOptions { To = to, TimeZone = options.TimeZone, Period = options.Unit });
            var assignment = By == BySegmentRfm ? scores.Rfm() : scores.AbcXyz();
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var p = 0; p < columns.PersonCount; p++)
            {
                if (assignment.SegmentOf(p) is { } label)
                {
                    labels[columns.PersonIds[p]] = label;
                }
            }

            options = options with { Segments = labels };
        }

        var (cohorts, _) = RetentionKernel.Compute(columns, options);
        if (Fit is not null)
        {
            return RetentionFit.Table(cohorts, options, Horizon);
        }

        return Summary ? RetentionRows.Summary(cohorts, options) : RetentionRows.Table(cohorts, options);
    }
}
