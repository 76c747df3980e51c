using System.Globalization;
using CsCheck;
using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;
using static Pretzel.Analytics.Tests.Graph.MarkovChainTests;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>
/// How the chain is counted must not show: tables split into ranges counted in parallel, many touches (past the dense
/// matrix), many states, lazy tables, touches given as any list and the failure reported for a bad row.
/// </summary>
public sealed class ChainCountingTests
{
    private static readonly Gen<(List<PathRow> Table, int Order)> GenChain = Gen.Select(MarkovChainPropertyTests.GenTable, Gen.Int[1, 4]);

    [Fact]
    public void Counting_in_ranges_gives_the_same_chain()
    {
        Gen.Select(GenChain, Gen.Int[2, 5]).Sample((chain, workers) =>
        {
            var (table, order) = chain;
            AssertSame(MarkovChain.FromPaths(table, order), MarkovChain.FromPaths(table, order, AbsorbingSolver.DefaultDenseLimit, workers, 1));
        }, iter: 300);
    }

    [Fact]
    public void More_touches_than_the_dense_matrix_holds_count_as_the_reference_does()
    {
        // Touches arrive over the rows, so the order-1 matrix fills up and its counts move to the transition table midway.
        var random = new Random(11);
        var touches = Enumerable.Range(0, ChainBuilder.DenseStates + 200).Select(i => "t" + i.ToString("D5", CultureInfo.InvariantCulture)).ToArray();
        var rows = new List<PathRow>();
        for (var i = 0; i < 4000; i++)
        {
            // Increasing touches: no loops, so every state is its own component and the solve stays cheap.
            var first = random.Next(Math.Min(touches.Length, (i / 2) + 1));
            var path = Enumerable.Range(0, random.Next(0, 4)).Select(k => touches[Math.Min(touches.Length - 1, first + (k * random.Next(1, 40)))]).Distinct().ToArray();
            rows.Add(new PathRow(path, random.Next(0, 3), 0, random.Next(0, 3)));
        }

        foreach (var workers in new[] { 1, 3 })
        {
            var chain = MarkovChain.FromPaths(rows, 1, AbsorbingSolver.DefaultDenseLimit, workers, 1);
            AssertCountsMatch(new ChainReference(rows, 1), chain);
            Assert.True(chain.Touches.Count > ChainBuilder.DenseStates);
            Assert.Equal(chain.ObservedConversionRate, chain.ConversionProbability, 1e-9);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Many_states_of_higher_order_count_as_the_reference_does(int order)
    {
        var random = new Random(order);
        var rows = new List<PathRow>();
        for (var i = 0; i < 3000; i++)
        {
            // Touches in increasing order within a path: no loops at any order.
            var path = Enumerable.Range(0, random.Next(0, 7)).Select(_ => random.Next(40)).Distinct().Order()
                .Select(t => "page " + t.ToString(CultureInfo.InvariantCulture)).ToList();
            rows.Add(new PathRow(path, random.Next(0, 3), 0, random.Next(0, 3)));
        }

        var reference = new ChainReference(rows, order);
        Assert.True(reference.States.Count > 500);
        foreach (var workers in new[] { 1, 2 })
        {
            var chain = MarkovChain.FromPaths(rows, order, AbsorbingSolver.DefaultDenseLimit, workers, 1);
            AssertCountsMatch(reference, chain);
            Assert.Equal(chain.ObservedConversionRate, chain.ConversionProbability, 1e-9);
        }
    }

    [Fact]
    public void A_lazy_table_and_any_list_of_touches_count_the_same()
    {
        // The same rows as arrays, lists and read-only wrappers, with fresh strings, a null touch and an empty path.
        string?[][] paths = [["a", "b"], ["b", null, "a"], [], ["a"], [null], ["b", "b", "a"]];
        var rows = paths.Select((p, i) => new PathRow(p.Select(t => t!).ToArray(), i % 3, 0, 1 + (i % 2))).ToList();
        IReadOnlyList<string> Fresh(IReadOnlyList<string> touches, int kind)
        {
            var copy = touches.Select(t => t is null ? null! : new string(t.AsSpan())).ToList();
            return kind switch { 0 => copy, 1 => copy.ToArray(), _ => copy.AsReadOnly() };
        }

        IEnumerable<PathRow> Lazy()
        {
            for (var i = 0; i < rows.Count; i++)
            {
                yield return rows[i] with { Touches = Fresh(rows[i].Touches, i % 3) };
            }
        }

        for (var order = 1; order <= 3; order++)
        {
            var expected = MarkovChain.FromPaths(rows, order);
            AssertSame(expected, MarkovChain.FromPaths(Lazy(), order));
            AssertSame(expected, MarkovChain.FromPaths(Lazy(), order, AbsorbingSolver.DefaultDenseLimit, 3, 1));
            Assert.Null(expected.Touches[0]);
        }
    }

    [Fact]
    public void The_first_bad_row_in_table_order_is_reported_however_the_table_is_split()
    {
        PathRow[] rows = [Row("A", 1, 0), Row("B", 1, 0), Row("C > first", -1, 2), Row("D", 1, 0), Row("E > second", 2, -5), Row("F", 0, 1)];
        foreach (var workers in new[] { 1, 2, 3, 6 })
        {
            var e = Assert.Throws<ArgumentException>(() => MarkovChain.FromPaths(rows, 1, AbsorbingSolver.DefaultDenseLimit, workers, 1));
            Assert.Equal("rows", e.ParamName);
            Assert.Contains("'C > first' has a negative count (-1 conversions, 2 nulls)", e.Message, StringComparison.Ordinal);
        }

        PathRow[] broken = [Row("A", 1, 0), Row("B", 1, 0), null!, Row("D", -1, 0)];
        Assert.Throws<NullReferenceException>(() => MarkovChain.FromPaths(broken, 1, AbsorbingSolver.DefaultDenseLimit, 2, 1));
    }

    private static void AssertCountsMatch(ChainReference reference, MarkovChain chain)
    {
        var expected = reference.Counts.SelectMany(kv => kv.Value.Select(e => (kv.Key, e.Key, e.Value))).Order().ToList();
        Assert.Equal(expected, chain.Transitions().Select(t => (t.From, t.To, t.Transitions)).Order().ToList());
        Assert.Equal(reference.States.Order(StringComparer.Ordinal), chain.Nodes().Skip(1).Select(n => n.Node).Prepend(MarkovChain.Start).Order(StringComparer.Ordinal));
        var nodes = chain.Nodes();
        Assert.Equal(MarkovChain.Start, nodes[0].Node);
        Assert.Equal(nodes.Skip(1).Select(n => n.Node).Order(StringComparer.Ordinal), nodes.Skip(1).Select(n => n.Node));
        foreach (var node in nodes)
        {
            Assert.Equal(reference.Visits[node.Node], node.Visits);
            Assert.Equal(reference.JourneysIn[node.Node], node.Journeys);
        }

        Assert.Equal(reference.TotalJourneys, chain.Journeys);
        Assert.Equal(reference.TotalConversions, chain.Conversions);
        foreach (var row in chain.BrightPaths(20))
        {
            var observed = reference.Observed.GetValueOrDefault(row.Route);
            Assert.Equal(observed.Journeys, row.ObservedJourneys);
        }
    }

    private static void AssertSame(MarkovChain expected, MarkovChain actual)
    {
        Assert.Equal(expected.Touches, actual.Touches);
        Assert.Equal(expected.Transitions(), actual.Transitions());
        Assert.Equal(expected.Nodes(), actual.Nodes());
        Assert.Equal(expected.BlackHoles(), actual.BlackHoles());
        Assert.Equal(expected.BrightPaths(6), actual.BrightPaths(6));
        Assert.Equal((expected.Journeys, expected.Conversions, expected.ConversionProbability), (actual.Journeys, actual.Conversions, actual.ConversionProbability));
        foreach (var touch in expected.Touches.Where(t => t is not null))
        {
            Assert.Equal(expected.ConversionProbabilityWithout(touch), actual.ConversionProbabilityWithout(touch));
        }
    }
}
