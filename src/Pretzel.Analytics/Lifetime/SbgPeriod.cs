namespace Pretzel.Analytics.Lifetime;

/// <summary>A period of an sBG projection: survival S(t), retention r(t) (none for period 0) and the expected active of the cohort.</summary>
public sealed record SbgPeriod(int Period, double Survival, double? Retention, double ExpectedActive)
{
    public static IReadOnlyList<string> Columns { get; } = ["period", "survival", "retention", "expected_active"];

    public object?[] Values() => [Period, Math.Round(Survival, 6), Retention is { } r ? Math.Round(r, 6) : null, Math.Round(ExpectedActive, 6)];
}
