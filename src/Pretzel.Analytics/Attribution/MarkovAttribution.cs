using System.Collections;
using System.Runtime.CompilerServices;
using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// The data-driven Markov model, solved exactly. The path table, with repeated consecutive touches collapsed, becomes
/// the absorbing chain of <see cref="MarkovChain"/> (states: the last K touches, <c>(start)</c>, <c>(conversion)</c>,
/// <c>(null)</c>; null journeys included). The removal effect of a channel is
/// <c>1 − P(conversion | every state containing it sends its traffic to (null)) / P(conversion)</c>, both probabilities
/// solved from the chain's linear system, not simulated. A channel's conversions are the total conversions × its removal
/// effect / the sum of all removal effects.
/// <para>
/// Value uses value-weighted removal effects from a second chain over the same paths in which each converted journey
/// weighs its value over the mean conversion value (so the weights of all conversions still add up to the number of
/// conversions) and each null journey weighs 1; the weights are scaled by a common factor and rounded to whole numbers,
/// as the chain counts in integers (a relative rounding error below 1e-6 per row on any realistic table; see
/// <see cref="ValueRows"/>). With every conversion worth the same, the value removal effects equal the conversion ones.
/// </para>
/// <para>
/// Both chains are counted together in one pass over the table's channel ids (<see cref="MarkovCounts"/>: the chain of
/// <see cref="MarkovChain"/>, with integer states and both weights on every transition) and solved by
/// <see cref="MarkovRemovalSolver"/>; <see cref="ComputeWithChain"/>, through two <see cref="MarkovChain"/>s of named
/// states, is the reference they are tested against (1e-9, relative) and the path for tables too large for them.
/// </para>
/// </summary>
public static class MarkovAttribution
{
    /// <summary>Credits per channel used in the table, in channel order, with the (conversion) removal effect.</summary>
    public static IReadOnlyList<ChannelCredit> Compute(AttributionTable table, int order) => Compute(table, order, MarkovTuning.Default);

    /// <summary>
    /// <see cref="Compute(AttributionTable, int)"/>: both chains counted in one pass from the table's channel ids
    /// (<see cref="MarkovCounts"/>) and their removal effects solved by <see cref="MarkovRemovalSolver"/>. A table too
    /// large for that representation goes through the general chain (<see cref="ComputeWithChain"/>).
    /// </summary>
    internal static IReadOnlyList<ChannelCredit> Compute(AttributionTable table, int order, MarkovTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MarkovChain.MaxOrder);
        var weights = Weights(table);
        var counts = MarkovCounts.Count(table, order, weights, tuning);
        if (counts is null)
        {
            return ComputeWithChain(table, order);
        }

        var effects = MarkovRemovalSolver.RemovalEffects(counts, weights.WithValue, tuning.DirectStates);
        return Credits(table, effects[MarkovCounts.ConversionChain], effects[MarkovCounts.ValueChain]);
    }

    /// <summary>
    /// The same credits through the general <see cref="MarkovChain"/> of named states (two chains built from
    /// <see cref="ConversionRows(AttributionTable)"/> and <see cref="ValueRows(AttributionTable)"/>): the reference the
    /// fast path is tested against, and the path for tables it cannot hold.
    /// </summary>
    internal static IReadOnlyList<ChannelCredit> ComputeWithChain(AttributionTable table, int order)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MarkovChain.MaxOrder);
        var touches = CollapsedTouches(table);
        var channels = table.Channels.Count;
        double[] effects = null!, valueEffects = null!;
        var weighValue = table.HasValue && table.TotalValue > 0;
        Parallel.Invoke(
            () => effects = RemovalEffects(MarkovChain.FromPaths(ConversionRows(table, touches), order), table.Channels),
            () => valueEffects = weighValue ? RemovalEffects(MarkovChain.FromPaths(ValueRows(table, touches), order), table.Channels) : new double[channels]);
        return Credits(table, effects, valueEffects);
    }

    private static IReadOnlyList<ChannelCredit> Credits(AttributionTable table, double[] effects, double[] valueEffects)
    {
        var conversions = new double[table.Channels.Count];
        var values = new double[table.Channels.Count];
        Distribute(effects, table.TotalConversions, conversions);
        Distribute(valueEffects, table.TotalValue, values);
        return HeuristicAttribution.Credits(table, conversions, values, effects);
    }

    /// <summary>The rows' weights in both chains, as <see cref="ConversionRows(AttributionTable)"/> and <see cref="ValueRows(AttributionTable)"/> count them.</summary>
    internal static MarkovCounts.RowWeights Weights(AttributionTable table)
    {
        var (scale, perValue) = ValueScale(table);
        return new MarkovCounts.RowWeights(table.HasValue && table.TotalValue > 0, perValue, (long)scale);
    }

    /// <summary>
    /// The value chain's scale S = max(1, ⌊2^50 / (total conversions + total nulls)⌋) and the weight of one unit of value,
    /// total conversions (at least 1) × S / total value (0 without value).
    /// </summary>
    private static (double Scale, double PerValue) ValueScale(AttributionTable table)
    {
        var scale = Math.Max(1, Math.Floor(Math.Pow(2, 50) / Math.Max(1, table.TotalConversions + table.TotalNulls)));
        return (scale, table.TotalValue > 0 ? Math.Max(1, table.TotalConversions) * scale / table.TotalValue : 0);
    }

    /// <summary>
    /// Removal effects of <paramref name="channels"/> (by id) in <paramref name="chain"/>: 1 − P(conversion without the
    /// channel) / P(conversion), 0 for a channel the chain does not hold or when nothing converts. Tiny negative values
    /// from rounding are clamped to 0 (removing a channel can only lower the probability).
    /// </summary>
    public static double[] RemovalEffects(MarkovChain chain, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(channels);
        var effects = new double[channels.Count];
        var p = chain.ConversionProbability;
        if (p <= 0)
        {
            return effects;
        }

        var present = chain.Touches.ToHashSet(StringComparer.Ordinal);
        for (var c = 0; c < channels.Count; c++)
        {
            if (present.Contains(channels[c]))
            {
                effects[c] = Math.Clamp(1 - (chain.ConversionProbabilityWithout(channels[c]) / p), 0, 1);
            }
        }

        return effects;
    }

    /// <summary>The rows of the conversion chain: each row's collapsed touches with its conversions and nulls.</summary>
    public static IReadOnlyList<PathRow> ConversionRows(AttributionTable table) => ConversionRows(table, CollapsedTouches(table));

    /// <summary>
    /// The rows of the value chain: each row's collapsed touches, its conversions replaced by
    /// round(value / total value × total conversions × S) and its nulls by nulls × S, where
    /// S = max(1, ⌊2^50 / (total conversions + total nulls)⌋) keeps every count whole and the totals below 2^51
    /// (a negative value, a refund, weighs 0; with value but no conversions, the value weights add up to 1 × S).
    /// </summary>
    public static IReadOnlyList<PathRow> ValueRows(AttributionTable table) => ValueRows(table, CollapsedTouches(table));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PathRow[] ConversionRows(AttributionTable table, IReadOnlyList<string>?[] touches)
    {
        var count = 0;
        for (var r = 0; r < table.Count; r++)
        {
            count += touches[r] is not null && table.Conversions(r) + table.Nulls(r) > 0 ? 1 : 0;
        }

        var rows = new PathRow[count];
        var at = 0;
        for (var r = 0; r < table.Count; r++)
        {
            if (touches[r] is { } t && table.Conversions(r) + table.Nulls(r) > 0)
            {
                rows[at++] = new PathRow(t, table.Conversions(r), table.Value(r), table.Nulls(r));
            }
        }

        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PathRow[] ValueRows(AttributionTable table, IReadOnlyList<string>?[] touches)
    {
        var (scale, perValue) = ValueScale(table);
        var weights = new (long Conversions, long Nulls)[table.Count];
        var count = 0;
        for (var r = 0; r < table.Count; r++)
        {
            if (touches[r] is not null)
            {
                weights[r] = ((long)Math.Round(Math.Max(0, table.Value(r)) * perValue), table.Nulls(r) * (long)scale);
                count += weights[r].Conversions + weights[r].Nulls > 0 ? 1 : 0;
            }
        }

        var rows = new PathRow[count];
        var at = 0;
        for (var r = 0; r < table.Count; r++)
        {
            if (touches[r] is { } t && weights[r].Conversions + weights[r].Nulls > 0)
            {
                rows[at++] = new PathRow(t, weights[r].Conversions, table.Value(r), weights[r].Nulls);
            }
        }

        return rows;
    }

    /// <summary>
    /// Each row's touches as names with repeated consecutive touches counted once (null for rows that add nothing): views
    /// into one array of channel ids, so a million rows cost a million small views rather than a million string arrays.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static IReadOnlyList<string>?[] CollapsedTouches(AttributionTable table)
    {
        var result = new IReadOnlyList<string>?[table.Count];
        var total = 0L;
        for (var r = 0; r < table.Count; r++)
        {
            total += table.Touches(r).Length;
        }

        var ids = GC.AllocateUninitializedArray<int>((int)total);
        var names = table.Channels as string[] ?? [.. table.Channels];
        var at = 0;
        for (var r = 0; r < table.Count; r++)
        {
            if (table.Conversions(r) + table.Nulls(r) == 0 && table.Value(r) == 0)
            {
                continue;
            }

            var touches = table.Touches(r);
            var start = at;
            var previous = -1;
            foreach (var t in touches)
            {
                if (t != previous)
                {
                    ids[at++] = t;
                    previous = t;
                }
            }

            result[r] = new TouchView(names, ids, start, at - start);
        }

        return result;
    }

    private static void Distribute(double[] effects, double total, double[] into)
    {
        var sum = effects.Sum();
        if (sum <= 0)
        {
            return;
        }

        for (var c = 0; c < effects.Length; c++)
        {
            into[c] = total * effects[c] / sum;
        }
    }
}

/// <summary>A row's touches, read from a shared array of channel ids through the channel names.</summary>
internal sealed class TouchView(string[] names, int[] ids, int start, int count) : IReadOnlyList<string>
{
    public int Count => count;

    public string this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => (uint)index < (uint)count ? names[ids[start + index]] : throw new ArgumentOutOfRangeException(nameof(index));
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return names[ids[start + i]];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
