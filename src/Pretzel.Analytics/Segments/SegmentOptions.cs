using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// What the customer segments count (see docs/analyses/segments.md). A buyer is a person with at least one purchase event
/// up to <see cref="To"/>; their monetary value is the revenue of their purchase events, less refunds (see
/// <see cref="RefundEvents"/>), from their first purchase to <see cref="To"/>. Nothing after <see cref="To"/> counts.
/// </summary>
public sealed record SegmentOptions
{
    /// <summary>The default purchase events.</summary>
    public static readonly IReadOnlyList<string> DefaultPurchaseEvents = ["purchase", "order_completed"];

    /// <summary>The default refund events.</summary>
    public static readonly IReadOnlyList<string> DefaultRefundEvents = ["refund"];

    /// <summary>Events that are purchases (default <c>purchase, order_completed</c>).</summary>
    public IReadOnlyList<string> PurchaseEvents { get; init; } = DefaultPurchaseEvents;

    /// <summary>
    /// Events that are refunds (default <c>refund</c>; empty: refunds are ignored). A refund at or after the person's first
    /// purchase subtracts the absolute value of its revenue, whichever sign the source stored it with.
    /// </summary>
    public IReadOnlyList<string> RefundEvents { get; init; } = DefaultRefundEvents;

    /// <summary>The end of the analysis: later events are left out, and recency is measured to it.</summary>
    public required DateTime To { get; init; }

    /// <summary>ABC: cumulative revenue share closing class A (default 0.80, the top 80 %).</summary>
    public double AbcA { get; init; } = 0.80;

    /// <summary>ABC: cumulative revenue share closing class B (default 0.95: the next 15 %); C is the rest.</summary>
    public double AbcB { get; init; } = 0.95;

    /// <summary>XYZ: the largest coefficient of variation of per-period revenue that is X (default 0.5).</summary>
    public double XyzX { get; init; } = 0.5;

    /// <summary>XYZ: the largest coefficient of variation that is Y (default 1.0); above it, Z.</summary>
    public double XyzY { get; init; } = 1.0;

    /// <summary>XYZ: the calendar period per-period revenue is summed over (default month).</summary>
    public PeriodUnit Period { get; init; } = PeriodUnit.Month;

    /// <summary>Where calendar periods start (default UTC).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    public void Validate()
    {
        if (PurchaseEvents is not { Count: > 0 } || PurchaseEvents.Any(string.IsNullOrWhiteSpace))
        {
            throw new PathException("--purchase-event: expected event names, comma-separated");
        }

        if (RefundEvents is null || RefundEvents.Any(string.IsNullOrWhiteSpace))
        {
            throw new PathException("--refund-event: expected event names, comma-separated, or none");
        }

        if (RefundEvents.FirstOrDefault(PurchaseEvents.Contains) is { } both)
        {
            throw new PathException($"--refund-event {both}: it is also a purchase event");
        }

        if (!(AbcA > 0 && AbcA < AbcB && AbcB <= 1))
        {
            throw new PathException($"--abc {AbcA * 100:0.##},{AbcB * 100:0.##}: expected two cumulative revenue shares in percent, 0 < A < B <= 100, e.g. 80,95");
        }

        if (!(XyzX >= 0 && XyzX < XyzY && double.IsFinite(XyzY)))
        {
            throw new PathException($"--xyz {XyzX},{XyzY}: expected two coefficients of variation, 0 <= X < Y, e.g. 0.5,1.0");
        }
    }
}
