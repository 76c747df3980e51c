namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// A customer's line of <c>pretzel clv</c> (see docs/analyses/clv.md#output): their summary, the purchases expected over
/// the horizon (BG/NBD), the probability they are still a customer, their expected mean purchase value (Gamma-Gamma)
/// and the expected value of their purchases over the horizon. Spend and value are empty when no spend model was fitted.
/// </summary>
public sealed record CustomerValueRow(string PersonId, int X, double Tx, double T, double ExpectedPurchases, double PAlive, double? ExpectedSpend, double? ExpectedValue)
{
    public static IReadOnlyList<string> Columns { get; } = ["person_id", "x", "t_x", "T", "expected_purchases", "p_alive", "expected_spend", "expected_value"];

    public object?[] Values() => [PersonId, X, Round(Tx), Round(T), Round(ExpectedPurchases), Round(PAlive), Round(ExpectedSpend), Round(ExpectedValue)];

    private static double Round(double value) => Math.Round(value, 6);

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 6) : null;
}
