using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Retention;

/// <summary>
/// What a retention table counts (see docs/analyses/retention.md). A person joins the cohort of the calendar period
/// (in <see cref="TimeZone"/>) of their first start event; in period k of the cohort they are active when they have a
/// return event in that period, at or after their start event. Revenue is the revenue of all their events from the
/// start event on. Nothing after <see cref="To"/> counts.
/// </summary>
public sealed record RetentionOptions
{
    /// <summary>Cohort and period length.</summary>
    public PeriodUnit Unit { get; init; } = PeriodUnit.Month;

    /// <summary>Events that start a person's life in a cohort (null: any event, i.e. first seen).</summary>
    public IReadOnlyList<string>? StartEvents { get; init; }

    /// <summary>Events that make a person active in a period (null: any event).</summary>
    public IReadOnlyList<string>? ReturnEvents { get; init; }

    /// <summary>Where calendar periods start.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The end of the analysis: later events are left out, and the last period is the one holding it.</summary>
    public required DateTime To { get; init; }

    /// <summary>Group cohorts by this (null: one group): <see cref="FirstTouchChannel"/>, or a segmentation (<c>segment:rfm</c>, <c>segment:abc_xyz</c>) whose labels are in <see cref="Segments"/>.</summary>
    public string? By { get; init; }

    /// <summary>With <c>--by segment:…</c>: each person's segment by person id (people not in it are grouped as <see cref="NoSegment"/>).</summary>
    public IReadOnlyDictionary<string, string>? Segments { get; init; }

    /// <summary>The group of people in no segment.</summary>
    public const string NoSegment = "(none)";

    /// <summary>With <see cref="Summary"/>: a person is churned when their last event is more than this before <see cref="To"/>.</summary>
    public TimeSpan ChurnAfter { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The <see cref="By"/> value grouping people by the channel of their first event that has one.</summary>
    public const string FirstTouchChannel = "first_touch_channel";

    /// <summary>The group of people without any channel, when grouping by first touch.</summary>
    public const string NoChannel = "(none)";

    public void Validate()
    {
        if (StartEvents is { Count: 0 } || StartEvents?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw new PathException("--start-event: expected event names, comma-separated");
        }

        if (ReturnEvents is { Count: 0 } || ReturnEvents?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw new PathException("--return-event: expected event names, comma-separated");
        }

        if (By is not (null or FirstTouchChannel) && !(By.StartsWith("segment:", StringComparison.Ordinal) && Segments is not null))
        {
            throw new PathException($"--by {By}: expected {FirstTouchChannel}, segment:rfm or segment:abc_xyz");
        }

        if (ChurnAfter <= TimeSpan.Zero)
        {
            throw new PathException("--churn-after: expected a positive duration such as 90d");
        }
    }
}
