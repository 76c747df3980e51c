using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// The Shapley value of the channels in the cooperative game of the path table: the worth of a coalition S of
/// channels is the conversions (or value) of the journeys whose set of channels is a subset of S,
/// <c>v(S) = Σ_{T ⊆ S} w(T)</c> with <c>w(T)</c> the conversions of journeys whose channel set is exactly T (Zhao et al.
/// 2018, "Shapley value methods for attribution modeling in online advertising"). Each channel gets
/// <c>φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))</c>.
/// <para>
/// The game is a sum of unanimity games, <c>v = Σ_T w(T) u_T</c> (u_T(S) = 1 when T ⊆ S): the dividends of v, its
/// Möbius transform, are exactly w. The Shapley value is linear and gives each member of T the share 1/|T| of u_T, so
/// <c>φ_i = Σ_{T ∋ i} w(T) / |T|</c>: every converted journey's conversion (and value) is split equally among its distinct
/// channels. That is the exact Shapley value, for any number of channels, in one pass over the table; no subset
/// enumeration and no sampling are needed. Tests check it against the subset enumeration (zeta transform and the formula
/// above) and against averaging over all orderings.
/// </para>
/// </summary>
public static class ShapleyAttribution
{
    /// <summary>Credits per channel used in the table, in channel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<ChannelCredit> Compute(AttributionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var channels = table.Channels.Count;
        var conversions = new double[channels];
        var values = new double[channels];
        var stamp = new int[channels];
        Span<int> buffer = stackalloc int[64];
        for (var r = 0; r < table.Count; r++)
        {
            double n = table.Conversions(r), v = table.Value(r);
            if (n == 0 && v == 0)
            {
                continue;
            }

            var touches = table.Touches(r);
            var distinct = touches.Length <= buffer.Length ? buffer : new int[touches.Length];
            var k = 0;
            foreach (var t in touches)
            {
                if (stamp[t] != r + 1)
                {
                    stamp[t] = r + 1;
                    distinct[k++] = t;
                }
            }

            double each = n / k, eachValue = v / k;
            foreach (var t in distinct[..k])
            {
                conversions[t] += each;
                values[t] += eachValue;
            }
        }

        return HeuristicAttribution.Credits(table, conversions, values);
    }
}
