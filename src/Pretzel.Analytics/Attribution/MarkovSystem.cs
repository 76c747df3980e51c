using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// One chain of <see cref="MarkovCounts"/> as the linear system <c>(I − Q) x = r</c>: per transition its probability
/// (its weight over all the weight leaving its state, absorbing outcomes included), per state its probability of
/// converting in one step. A state no weight of this chain went through ("dead": only the other chain's rows reach it)
/// has an empty row; it is unreachable, as if never seen.
/// </summary>
internal sealed partial class MarkovSystem
{
    private readonly MarkovCounts _counts;
    private readonly double[] _p;
    private readonly double[] _r;
    private readonly bool[] _live;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal MarkovSystem(MarkovCounts counts, int chain)
    {
        _counts = counts;
        var n = counts.States;
        var start = counts.EdgeStart;
        var weights = counts.EdgeWeights;
        var outcomes = counts.Outcomes;
        _p = new double[start[n]];
        _r = new double[n];
        _live = new bool[n];
        Present = new bool[counts.Channels];
        for (var s = 0; s < n; s++)
        {
            var converted = outcomes[(4 * s) + (2 * chain)];
            var total = converted + outcomes[(4 * s) + (2 * chain) + 1];
            for (var e = start[s]; e < start[s + 1]; e++)
            {
                total += weights[(2 * e) + chain];
            }

            if (total == 0)
            {
                continue;
            }

            for (var e = start[s]; e < start[s + 1]; e++)
            {
                _p[e] = (double)weights[(2 * e) + chain] / total;
            }

            _r[s] = (double)converted / total;
            _live[s] = true;
            Converts |= converted > 0;
            foreach (var c in Touches(s))
            {
                Present[c] = true;
            }
        }
    }

    /// <summary>Whether any weight converts (else every probability is 0).</summary>
    internal bool Converts { get; }

    /// <summary>Channels with weight through them, by id.</summary>
    internal bool[] Present { get; }

    /// <summary>The channel ids of state <paramref name="s"/>'s touches, latest first (a channel touched twice comes twice).</summary>
    private IEnumerable<int> Touches(int s)
    {
        var key = _counts.Keys[s];
        for (var back = 0; back < _counts.Order && MarkovCounts.Touch(key, back) is var c && c >= 0; back++)
        {
            yield return c;
        }
    }

    /// <summary>The live states containing <paramref name="channel"/>: those its removal stops.</summary>
    private List<int> StatesWith(int channel)
    {
        var states = new List<int>();
        for (var s = 1; s < _live.Length; s++)
        {
            if (_live[s] && Touches(s).Contains(channel))
            {
                states.Add(s);
            }
        }

        return states;
    }
}
