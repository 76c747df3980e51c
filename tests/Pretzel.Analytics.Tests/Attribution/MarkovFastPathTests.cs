using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using static Pretzel.Analytics.Tests.Attribution.AttributionReferences;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>
/// The Markov model's fast path (both chains counted from the table's channel ids, removal effects solved by
/// <see cref="MarkovRemovalSolver"/>) against the general <see cref="Graph.MarkovChain"/> computation it replaced
/// (<see cref="MarkovAttribution.ComputeWithChain"/>), on random tables of every order and down every path: ranges
/// counted apart and merged, the lookup counter, direct solves and block Gauss–Seidel.
/// </summary>
public sealed class MarkovFastPathTests
{
    private const double Relative = 1e-9;

    private static readonly (string Name, MarkovTuning Tuning)[] Paths =
    [
        ("default", MarkovTuning.Default),
        ("ranges merged", MarkovTuning.Default with { Workers = 3, RowsPerWorker = 1 }),
        ("lookup counter", MarkovTuning.Default with { Workers = 2, RowsPerWorker = 2, DenseSlots = 0 }),
        ("block Gauss–Seidel", MarkovTuning.Default with { DirectStates = 0 }),
    ];

    private static readonly string[] ManyChannels = [.. Enumerable.Range(0, 40).Select(i => $"ch{i:00}")];

    /// <summary>Tables over more channels and longer paths than <see cref="GenTable"/>: hundreds of states at order 3.</summary>
    private static readonly Gen<List<PathRow>> GenLargerTable =
        Gen.Select(Gen.Int[0, 6].Array[1, 9], Gen.Int[0, 4], Gen.Int[0, 10_000], Gen.Int[0, 6])
            .Select((touches, conversions, cents, nulls) => new PathRow([.. touches.Select(t => ManyChannels[t])], conversions, conversions == 0 ? 0 : cents / 100.0, nulls))
            .List[20, 80];

    [Fact]
    public void Every_path_matches_the_general_chain_on_random_tables_of_every_order()
    {
        Gen.Select(GenTable, Gen.Int[1, 4], Gen.Bool).Sample((rows, order, hasValue) => AssertSame(AttributionTable.FromRows(rows, hasValue), order), iter: 400);
    }

    [Fact]
    public void Every_path_matches_the_general_chain_on_larger_tables()
    {
        Gen.Select(GenLargerTable, Gen.Int[2, 3]).Sample((rows, order) => AssertSame(AttributionTable.FromRows(rows), order), iter: 15);
    }

    [Fact]
    public void More_channels_than_one_block_of_removals_are_solved_in_several()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            var touches = Enumerable.Range(0, random.Next(1, 5)).Select(_ => ManyChannels[random.Next(ManyChannels.Length)]).ToArray();
            var conversions = random.Next(0, 3);
            return new PathRow(touches, conversions, conversions * random.Next(1, 100), random.Next(0, 4));
        }).ToList();
        var table = AttributionTable.FromRows(rows);
        Assert.True(table.Channels.Count > MarkovRemovalSolver.BlockColumns);
        AssertSame(table, 2);
    }

    [Fact]
    public void A_long_back_and_forth_converges_to_the_exact_answer()
    {
        // At order 2 the states (a > b) and (b > a) feed each other 59 times in 60: Gauss–Seidel needs thousands of sweeps.
        var path = Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? "a" : "b").ToArray();
        var table = AttributionTable.FromRows([new PathRow(path, 3, 30, 1), new PathRow(["a", "c"], 1, 5, 2), new PathRow(["c", "b"], 0, 0, 1)]);
        foreach (var order in new[] { 1, 2, 3, 4 })
        {
            AssertSame(table, order);
        }
    }

    [Fact]
    public void An_empty_table_and_a_table_of_touchless_conversions_are_solved_like_the_general_chain()
    {
        Assert.Empty(MarkovAttribution.Compute(AttributionTable.FromRows([]), 2));
        AssertSame(AttributionTable.FromRows([new PathRow([], 3, 30, 1)]), 1);
        AssertSame(AttributionTable.FromRows([new PathRow([], 3, 30, 1), new PathRow(["a"], 0, 0, 0)]), 3);
    }

    [Fact]
    public void Both_counters_count_the_same_chain_however_the_rows_are_split()
    {
        Gen.Select(GenTable, Gen.Int[1, 4]).Sample((rows, order) =>
        {
            var table = AttributionTable.FromRows(rows);
            var weights = new MarkovCounts.RowWeights(true, 1.5, 3);
            var expected = MarkovCounts.Count(table, order, weights, MarkovTuning.Default with { Workers = 1 })!;
            foreach (var tuning in new[] { MarkovTuning.Default with { Workers = 4, RowsPerWorker = 1 }, MarkovTuning.Default with { Workers = 3, RowsPerWorker = 1, DenseSlots = 0 } })
            {
                var actual = MarkovCounts.Count(table, order, weights, tuning)!;
                Assert.Equal(expected.Keys, actual.Keys);
                Assert.Equal(expected.EdgeStart, actual.EdgeStart);
                Assert.Equal(expected.EdgeTarget, actual.EdgeTarget);
                Assert.Equal(expected.EdgeWeights, actual.EdgeWeights);
                Assert.Equal(expected.Outcomes, actual.Outcomes);
            }
        }, iter: 300);
    }

    [Fact]
    public void States_are_the_last_touches_with_repeats_collapsed()
    {
        var table = AttributionTable.FromRows([new PathRow(["a", "a", "b", "c", "c"], 1, 0, 0)]);
        var counts = MarkovCounts.Count(table, 2, new MarkovCounts.RowWeights(false, 0, 0), MarkovTuning.Default)!;

        // (start), (a), (a > b), (b > c): a is channel 0, b 1, c 2; keys hold id + 1, the latest touch lowest.
        Assert.Equal([0UL, 1UL, (1UL << 16) | 2, (2UL << 16) | 3], counts.Keys);
        Assert.Equal([0, 1, 2, 3, 3], counts.EdgeStart);
        Assert.Equal([1, 2, 3], counts.EdgeTarget);
        Assert.Equal(1, counts.Outcomes[4 * 3]);
        Assert.Equal(2, MarkovCounts.Touch(counts.Keys[3], 0));
        Assert.Equal(1, MarkovCounts.Touch(counts.Keys[3], 1));
        Assert.Equal(-1, MarkovCounts.Touch(counts.Keys[3], 2));
    }

    private static void AssertSame(AttributionTable table, int order)
    {
        var expected = MarkovAttribution.ComputeWithChain(table, order);
        foreach (var (name, tuning) in Paths)
        {
            var actual = MarkovAttribution.Compute(table, order, tuning);
            Assert.Equal(expected.Select(c => c.Channel), actual.Select(c => c.Channel));
            foreach (var (e, a) in expected.Zip(actual))
            {
                var what = $"{e.Channel} at order {order} ({name})";
                Near(e.RemovalEffect!.Value, a.RemovalEffect!.Value, Relative, $"removal effect of {what}");
                Near(e.Conversions, a.Conversions, Relative, $"conversions of {what}");
                Near(e.Value, a.Value, Relative, $"value of {what}");
            }
        }
    }
}
