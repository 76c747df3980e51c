namespace Pretzel.Analytics.Segments;

/// <summary>
/// The eleven named RFM segments and the grid that names a buyer from their R score and FM score (the mean of F and M,
/// rounded half up). Each cell of the 5 × 5 grid has exactly one name (docs/analyses/segments.md has the table):
/// <code>
/// R\FM  1               2                    3                4                5
/// 5     New Customers   Potential Loyalists  Loyal Customers  Champions        Champions
/// 4     Promising       Potential Loyalists  Loyal Customers  Champions        Champions
/// 3     About to Sleep  Need Attention       Need Attention   Loyal Customers  Loyal Customers
/// 2     Hibernating     Hibernating          At Risk          At Risk          At Risk
/// 1     Lost            Lost                 At Risk          Can't Lose Them  Can't Lose Them
/// </code>
/// </summary>
public static class RfmSegments
{
    public const string Champions = "Champions";
    public const string LoyalCustomers = "Loyal Customers";
    public const string PotentialLoyalists = "Potential Loyalists";
    public const string NewCustomers = "New Customers";
    public const string Promising = "Promising";
    public const string NeedAttention = "Need Attention";
    public const string AboutToSleep = "About to Sleep";
    public const string AtRisk = "At Risk";
    public const string CantLoseThem = "Can't Lose Them";
    public const string Hibernating = "Hibernating";
    public const string Lost = "Lost";

    /// <summary>The segments, best first: the order of the summary's rows.</summary>
    public static readonly IReadOnlyList<string> All =
        [Champions, LoyalCustomers, PotentialLoyalists, NewCustomers, Promising, NeedAttention, AboutToSleep, AtRisk, CantLoseThem, Hibernating, Lost];

    // Rows R = 1 … 5, columns FM = 1 … 5.
    private static readonly string[][] Grid =
    [
        [Lost, Lost, AtRisk, CantLoseThem, CantLoseThem],
        [Hibernating, Hibernating, AtRisk, AtRisk, AtRisk],
        [AboutToSleep, NeedAttention, NeedAttention, LoyalCustomers, LoyalCustomers],
        [Promising, PotentialLoyalists, LoyalCustomers, Champions, Champions],
        [NewCustomers, PotentialLoyalists, LoyalCustomers, Champions, Champions],
    ];

    /// <summary>The FM score: the mean of the F and M scores, rounded half up (F 2, M 3 → 3).</summary>
    public static int FmScore(int f, int m) => (f + m + 1) / 2;

    /// <summary>The segment of an R score and an FM score, each 1 to 5.</summary>
    public static string Name(int r, int fm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(r, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(r, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(fm, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fm, 5);
        return Grid[r - 1][fm - 1];
    }
}
