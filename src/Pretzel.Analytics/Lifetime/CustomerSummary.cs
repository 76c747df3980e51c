namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// One customer's purchase history as the BG/NBD and Gamma-Gamma models read it, in one <see cref="LifetimeUnit"/>
/// (see docs/analyses/clv.md#summaries).
/// </summary>
/// <param name="Id">The customer (the stitched person, or the file's ID).</param>
/// <param name="X">Repeat transactions in the calibration period: transactions after the first.</param>
/// <param name="Tx">Recency t_x: the time from the first transaction to the last repeat one (0 when <paramref name="X"/> is 0).</param>
/// <param name="T">Age T: the time from the first transaction to the end of the calibration period.</param>
/// <param name="Zbar">The mean value of the repeat transactions (0 when there are none, or when no value is known).</param>
public sealed record CustomerSummary(string Id, int X, double Tx, double T, double Zbar = 0)
{
    /// <summary>Transactions in the holdout period (after the calibration end, up to the holdout end), when one was asked for.</summary>
    public int? HoldoutX { get; init; }

    /// <summary>The total value of the holdout transactions, when a holdout period was asked for.</summary>
    public double? HoldoutValue { get; init; }
}
