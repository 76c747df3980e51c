namespace Pretzel.Analytics.Lifetime;

/// <summary>The checked options of <c>pretzel clv</c> (<see cref="ClvReport.Validate"/>); defaults in one place here.</summary>
public sealed record ClvOptions
{
    /// <summary>Event names that are purchases.</summary>
    public IReadOnlyList<string> PurchaseEvents { get; init; } = ["purchase", "order_completed"];

    /// <summary>The end of the calibration period (its UTC day counts whole); null: the last event's time.</summary>
    public DateTime? CalibrationEnd { get; init; }

    public LifetimeUnit Unit { get; init; } = LifetimeUnit.Week;

    /// <summary>How far ahead to predict, in <see cref="Unit"/>s (default 52 weeks).</summary>
    public double Horizon { get; init; } = 52;

    /// <summary>Discount rate per <see cref="Unit"/> (default 0).</summary>
    public double DiscountRate { get; init; }

    /// <summary>Print the fitted parameters instead of one row per customer.</summary>
    public bool Params { get; init; }

    /// <summary>Only the first N customers; null: all.</summary>
    public int? Top { get; init; }
}
