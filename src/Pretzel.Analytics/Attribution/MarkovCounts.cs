using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// The two absorbing chains of <see cref="MarkovAttribution"/> (conversions and value) counted together in one pass over
/// the table's channel ids. Both chains walk the same paths, so they have the same states and transitions and differ
/// only in the weights: every transition carries both weights, every state its converted and lost weight in both.
/// A state is the last K channel ids (repeats collapsed), each id + 1 in 16 bits of a <see cref="ulong"/> key, the
/// latest lowest; <c>(start)</c> is key 0. No names and no per-row objects: the million-row benchmark table is about
/// 10 million array steps for both chains, where the general <see cref="Graph.MarkovChain"/> built two million path
/// rows of strings and counted them twice.
/// <para>
/// Rows are counted in ranges in parallel (<see cref="RangeCounter"/>), each range with its own states; the ranges are
/// merged by key, the states sorted by key (so <c>(start)</c>, then the states of one touch, of two, …) and every
/// state's transitions by target. All counts are integers, so the result does not depend on how the rows were split
/// or which counter counted them.
/// </para>
/// </summary>
internal sealed partial class MarkovCounts
{
    /// <summary>The conversion chain's weights: a row's conversions and nulls.</summary>
    internal const int ConversionChain = 0;

    /// <summary>The value chain's weights: see <see cref="MarkovAttribution.ValueRows(AttributionTable)"/>.</summary>
    internal const int ValueChain = 1;

    /// <summary>Channel ids + 1 must fit in the 16 bits a state keeps per touch.</summary>
    internal const int MaxChannels = 0xFFFF - 1;

    /// <summary>Fewest rows worth a range of their own.</summary>
    internal const int RowsPerWorker = 100_000;

    /// <summary>Largest (B^K × channels) table of <see cref="ArithmeticCounter"/>, B = channels + 1 (16 bytes a slot, 64 MB at the limit).</summary>
    internal const long DenseSlots = 1L << 22;

    /// <summary>Above this many slots (16 MB) the rows are counted in one range rather than one table per range.</summary>
    internal const long SharedSlots = 1L << 20;

    private MarkovCounts(int order, int channels, ulong[] keys, int[] edgeStart, int[] edgeTarget, long[] edgeWeights, long[] outcomes)
    {
        Order = order;
        Channels = channels;
        Keys = keys;
        EdgeStart = edgeStart;
        EdgeTarget = edgeTarget;
        EdgeWeights = edgeWeights;
        Outcomes = outcomes;
    }

    internal int Order { get; }

    internal int Channels { get; }

    /// <summary>The states' keys, ascending; state 0 is <c>(start)</c>.</summary>
    internal ulong[] Keys { get; }

    internal int States => Keys.Length;

    /// <summary>State s's transitions are <c>EdgeStart[s] .. EdgeStart[s + 1]</c>, targets ascending.</summary>
    internal int[] EdgeStart { get; }

    internal int[] EdgeTarget { get; }

    /// <summary>Per transition e: <c>[2e]</c> its conversion-chain weight, <c>[2e + 1]</c> its value-chain weight.</summary>
    internal long[] EdgeWeights { get; }

    /// <summary>Per state s and chain h: <c>[4s + 2h]</c> the weight that converts there, <c>[4s + 2h + 1]</c> the weight lost there.</summary>
    internal long[] Outcomes { get; }

    /// <summary>Channel id of the <paramref name="back"/>-th latest touch of a state key (0 the latest), or −1 past its first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Touch(ulong key, int back) => (int)((key >> (16 * back)) & 0xFFFF) - 1;

    /// <summary>
    /// The chains of <paramref name="table"/> at <paramref name="order"/>; null when the table is too large for this
    /// representation (more than <see cref="MaxChannels"/> channels, or too many states for the lookup of
    /// <see cref="LookupCounter"/>).
    /// </summary>
    internal static MarkovCounts? Count(AttributionTable table, int order, RowWeights weights, MarkovTuning tuning)
    {
        var channels = table.Channels.Count;
        if (channels > MaxChannels)
        {
            return null;
        }

        var dense = ArithmeticCounter.Slots(order, channels);
        var arithmetic = dense <= tuning.DenseSlots;
        var parts = Math.Clamp(Math.Min(tuning.Workers, table.Count / Math.Max(1, tuning.RowsPerWorker)), 1, Math.Max(1, table.Count));
        if (arithmetic && dense > SharedSlots)
        {
            // Each range would hold its own large table: count in one (at order 4 over 20 channels, 62 MB rather than 124).
            parts = 1;
        }

        var counters = new RangeCounter[parts];
        for (var part = 0; part < parts; part++)
        {
            counters[part] = arithmetic ? new ArithmeticCounter(order, channels, weights) : new LookupCounter(order, channels, weights);
        }

        // The first range on this thread, the others on the pool. (Tasks rather than Parallel.For: the command has used
        // tasks by now, while the first Parallel.For of a process costs about 13 ms of setting up.)
        var others = new Task[parts - 1];
        for (var part = 1; part < parts; part++)
        {
            var (counter, from, to) = (counters[part], (int)((long)table.Count * part / parts), (int)((long)table.Count * (part + 1) / parts));
            others[part - 1] = Task.Run(() => counter.AddRange(table, from, to));
        }

        counters[0].AddRange(table, 0, (int)((long)table.Count / parts));
        Task.WaitAll(others);

        if (counters.Any(c => c.TooLarge))
        {
            return null;
        }

        foreach (var counter in counters)
        {
            counter.Finish();
        }

        return Merge(order, channels, counters);
    }

    /// <summary>The ranges' counts together: states by key, transitions by state then target, duplicates summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MarkovCounts Merge(int order, int channels, RangeCounter[] counters)
    {
        // Every key once, sorted; each range's states mapped to their place by binary search. (Not a hash set: ulong's own
        // hash folds the two halves of a key together, which for keys of small ids collides heavily.)
        var all = new ulong[counters.Sum(c => c.States)];
        var filled = 0;
        foreach (var counter in counters)
        {
            counter.Keys.AsSpan(0, counter.States).CopyTo(all.AsSpan(filled));
            filled += counter.States;
        }

        Array.Sort(all);
        var distinct = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (i == 0 || all[i] != all[i - 1])
            {
                all[distinct++] = all[i];
            }
        }

        var keys = all[..distinct];
        var n = keys.Length;
        var outcomes = new long[4 * n];
        var degree = new int[n + 1];
        var maps = new int[counters.Length][];
        var edges = 0;
        for (var c = 0; c < counters.Length; c++)
        {
            var counter = counters[c];
            var map = maps[c] = new int[counter.States];
            for (var s = 0; s < counter.States; s++)
            {
                var g = map[s] = Array.BinarySearch(keys, counter.Keys[s]);
                for (var k = 0; k < 4; k++)
                {
                    outcomes[(4 * g) + k] += counter.Outcomes[(4 * s) + k];
                }
            }

            for (var e = 0; e < counter.Edges; e++)
            {
                degree[map[counter.EdgeFrom[e]]]++;
            }

            edges += counter.Edges;
        }

        // Bucket the transitions by their state (a counting sort), then sort each bucket by target and sum duplicates.
        var start = new int[n + 1];
        for (var s = 0; s < n; s++)
        {
            start[s + 1] = start[s] + degree[s];
        }

        var fill = start[..n];
        var target = new int[edges];
        var weights = new long[2 * edges];
        for (var c = 0; c < counters.Length; c++)
        {
            var counter = counters[c];
            var map = maps[c];
            for (var e = 0; e < counter.Edges; e++)
            {
                var at = fill[map[counter.EdgeFrom[e]]]++;
                target[at] = map[counter.EdgeTo[e]];
                weights[2 * at] = counter.EdgeWeights[2 * e];
                weights[(2 * at) + 1] = counter.EdgeWeights[(2 * e) + 1];
            }
        }

        var source = new int[edges];
        for (var i = 0; i < edges; i++)
        {
            source[i] = i;
        }

        var mergedStart = new int[n + 1];
        var mergedTarget = new int[edges];
        var merged = new long[2 * edges];
        var write = 0;
        for (var s = 0; s < n; s++)
        {
            Array.Sort(target, source, start[s], start[s + 1] - start[s]);
            for (var i = start[s]; i < start[s + 1]; i++)
            {
                var from = source[i];
                if (write == mergedStart[s] || mergedTarget[write - 1] != target[i])
                {
                    mergedTarget[write++] = target[i];
                }

                merged[2 * (write - 1)] += weights[2 * from];
                merged[(2 * (write - 1)) + 1] += weights[(2 * from) + 1];
            }

            mergedStart[s + 1] = write;
        }

        return new MarkovCounts(order, channels, keys, mergedStart, mergedTarget[..write], merged[..(2 * write)], outcomes);
    }
}
