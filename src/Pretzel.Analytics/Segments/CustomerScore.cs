namespace Pretzel.Analytics.Segments;

/// <summary>
/// One buyer's RFM and ABC/XYZ values.
/// </summary>
/// <param name="PersonIndex">The person's index in the event columns (the reference: the position in the list it was given).</param>
/// <param name="PersonId">The stitched person.</param>
/// <param name="LastPurchaseMicros">Time of the last purchase, microseconds since the Unix epoch (UTC).</param>
/// <param name="RecencyDays">Days from the last purchase to the end of the analysis.</param>
/// <param name="Frequency">Purchases.</param>
/// <param name="Monetary">Revenue of the purchases, less refunds when refunds count.</param>
/// <param name="R">Recency score 1–5, 5 the most recent.</param>
/// <param name="F">Frequency score 1–5.</param>
/// <param name="M">Monetary score 1–5.</param>
/// <param name="Cv">Coefficient of variation of per-period revenue from the first purchase's period to the end's; null when undefined.</param>
/// <param name="Abc">A, B or C.</param>
/// <param name="Xyz">X, Y or Z.</param>
public sealed record CustomerScore(int PersonIndex, string PersonId, long LastPurchaseMicros, double RecencyDays, int Frequency, double Monetary,
    int R, int F, int M, double? Cv, char Abc, char Xyz)
{
    /// <summary>The FM score (see <see cref="RfmSegments.FmScore"/>).</summary>
    public int Fm => RfmSegments.FmScore(F, M);

    /// <summary>The named RFM segment.</summary>
    public string RfmSegment => RfmSegments.Name(R, Fm);

    /// <summary>The ABC/XYZ cell, e.g. <c>AX</c>.</summary>
    public string AbcXyz => $"{Abc}{Xyz}";
}
