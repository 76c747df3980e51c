using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;

namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// What <c>pretzel aarrr</c> counts per calendar period (docs/analyses/aarrr.md). Event lists that are null mean any
/// event. Nothing after <see cref="To"/> counts; periods are local to <see cref="TimeZone"/>.
/// </summary>
public sealed record AarrrOptions
{
    /// <summary>Period length.</summary>
    public PeriodUnit Unit { get; init; } = PeriodUnit.Month;

    /// <summary>Where calendar periods start.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The end of the analysis: the last row is the period holding it.</summary>
    public required DateTime To { get; init; }

    /// <summary>A person is acquired at their first such event (null: any event, i.e. first seen).</summary>
    public IReadOnlyList<string>? AcquisitionEvents { get; init; }

    /// <summary>A person is activated at their first such event.</summary>
    public IReadOnlyList<string> ActivationEvents { get; init; } = ["sign_up"];

    /// <summary>Such an event makes an acquired person active in its period (null: any event).</summary>
    public IReadOnlyList<string>? RetentionEvents { get; init; }

    /// <summary>The revenue of such events counts (null: any event carrying revenue).</summary>
    public IReadOnlyList<string>? RevenueEvents { get; init; }

    /// <summary>Events a person sends to refer someone.</summary>
    public IReadOnlyList<string> ReferralEvents { get; init; } = ["referral_sent"];

    /// <summary>A person whose first touch (first event with a channel) is on one of these was referred.</summary>
    public IReadOnlyList<string> ReferredChannels { get; init; } = ["word_of_mouth"];

    /// <summary>Throws <see cref="PathException"/> naming a list that is empty or has a blank name.</summary>
    public void Validate()
    {
        Check(AcquisitionEvents, "aarrr.acquisition.events", nullable: true);
        Check(ActivationEvents, "aarrr.activation.events", nullable: false);
        Check(RetentionEvents, "aarrr.retention.events", nullable: true);
        Check(RevenueEvents, "aarrr.revenue.events", nullable: true);
        Check(ReferralEvents, "aarrr.referral.events", nullable: false);
        Check(ReferredChannels, "aarrr.referral.channels", nullable: false);
    }

    private static void Check(IReadOnlyList<string>? names, string key, bool nullable)
    {
        if ((names is null && !nullable) || names is { Count: 0 } || names?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw new PathException($"{key}: expected one or more names");
        }
    }
}
