using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// What <c>pretzel aarrr</c> (and an HTTP endpoint) answers, from text options: per calendar period, acquisition,
/// activation, retention, revenue and referral (docs/analyses/aarrr.md). The rules default to the project file's
/// <c>aarrr:</c> defaults; a caller with a project file passes its lists, comma-separated.
/// </summary>
public sealed record AarrrReport : IReport
{
    /// <summary><c>day</c>, <c>week</c> or <c>month</c> (default).</summary>
    public string? Period { get; init; }

    /// <summary>IANA time zone where periods start (default UTC; the CLI passes the project's).</summary>
    public string? TimeZone { get; init; }

    /// <summary>End of the analysis (default: the store's last event).</summary>
    public string? To { get; init; }

    /// <summary>Acquisition events, comma-separated (default: any event, i.e. first seen).</summary>
    public string? AcquisitionEvents { get; init; }

    /// <summary>Activation events, comma-separated (default <c>sign_up</c>).</summary>
    public string? ActivationEvents { get; init; }

    /// <summary>Events that count as coming back, comma-separated (default: any event).</summary>
    public string? RetentionEvents { get; init; }

    /// <summary>Events whose revenue counts, comma-separated (default: any event carrying revenue).</summary>
    public string? RevenueEvents { get; init; }

    /// <summary>Referral events, comma-separated (default <c>referral_sent</c>).</summary>
    public string? ReferralEvents { get; init; }

    /// <summary>First-touch channels of referred people, comma-separated (default <c>word_of_mouth</c>).</summary>
    public string? ReferredChannels { get; init; }

    /// <summary>The options, given the end of the analysis; throws <see cref="PathException"/> naming a bad one.</summary>
    public AarrrOptions Options(DateTime to)
    {
        var unit = ReportArguments.Period(Period, "--period");
        var zone = ReportArguments.TimeZone(TimeZone);

        var defaults = new AarrrOptions { To = to };
        var options = new AarrrOptions
        {
            Unit = unit,
            TimeZone = zone,
            To = to,
            AcquisitionEvents = ReportArguments.Names(AcquisitionEvents) ?? defaults.AcquisitionEvents,
            ActivationEvents = ReportArguments.Names(ActivationEvents) ?? defaults.ActivationEvents,
            RetentionEvents = ReportArguments.Names(RetentionEvents) ?? defaults.RetentionEvents,
            RevenueEvents = ReportArguments.Names(RevenueEvents) ?? defaults.RevenueEvents,
            ReferralEvents = ReportArguments.Names(ReferralEvents) ?? defaults.ReferralEvents,
            ReferredChannels = ReportArguments.Names(ReferredChannels) ?? defaults.ReferredChannels,
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
        if (AarrrPushDown.Applies(store))
        {
            return await AarrrPushDown.RunAsync(store, this, now, cancellationToken).ConfigureAwait(false);
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
        return AarrrRows.Table(AarrrKernel.Compute(columns, options), options);
    }
}
