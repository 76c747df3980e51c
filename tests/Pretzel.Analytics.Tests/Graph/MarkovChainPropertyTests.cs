using CsCheck;
using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>
/// The chain against <see cref="ChainReference"/> on random path tables of every order: counts, absorption
/// probabilities (dense and Gauss–Seidel), the flow identities any absorbing chain of observed paths obeys, removal
/// effects, black-hole uplifts and bright paths.
/// </summary>
public sealed class MarkovChainPropertyTests
{
    private const double Eps = 1e-9;
    private static readonly string[] Letters = ["a", "b", "c", "d"];

    internal static readonly Gen<PathRow> GenRow =
        Gen.Select(Gen.Int[0, 3].Array[0, 6], Gen.Int[0, 4], Gen.Int[0, 4])
            .Select((touches, conversions, nulls) => new PathRow([.. touches.Select(t => Letters[t])], conversions, conversions * 10.0, nulls));

    internal static readonly Gen<List<PathRow>> GenTable = GenRow.List[0, 10];

    private static readonly Gen<(List<PathRow> Table, int Order)> GenChain = Gen.Select(GenTable, Gen.Int[1, 4]);

    [Fact]
    public void Transitions_and_nodes_count_what_the_reference_counts()
    {
        GenChain.Sample((table, order) =>
        {
            var reference = new ChainReference(table, order);
            var chain = MarkovChain.FromPaths(table, order);
            var expected = reference.Counts.SelectMany(kv => kv.Value.Select(e => (kv.Key, e.Key, e.Value))).Order().ToList();
            Assert.Equal(expected, chain.Transitions().Select(t => (t.From, t.To, t.Transitions)).Order().ToList());
            Assert.Equal(reference.States.Order(StringComparer.Ordinal), chain.Nodes().Select(n => n.Node).Order(StringComparer.Ordinal));
            foreach (var node in chain.Nodes())
            {
                Assert.Equal(reference.Visits[node.Node], node.Visits);
                Assert.Equal(reference.JourneysIn[node.Node], node.Journeys);
                var expectedExit = reference.Counts[node.Node].Count == 0 ? 0 : reference.Distribution(node.Node).GetValueOrDefault(ChainReference.Null);
                Assert.Equal(expectedExit, node.ExitRate, Eps);
            }

            Assert.Equal(MarkovChain.Start, chain.Nodes()[0].Node);
            Assert.Equal(reference.TotalJourneys, chain.Journeys);
            Assert.Equal(reference.TotalConversions, chain.Conversions);
        }, iter: 300);
    }

    [Fact]
    public void Absorption_probabilities_match_a_plain_dense_solve_with_either_solver()
    {
        GenChain.Sample((table, order) =>
        {
            var expected = new ChainReference(table, order).Absorb();
            foreach (var denseLimit in new[] { AbsorbingSolver.DefaultDenseLimit, 0, 2 })
            {
                var chain = MarkovChain.FromPaths(table, order, denseLimit);
                foreach (var node in chain.Nodes())
                {
                    Assert.Equal(expected[node.Node], node.ConversionProbability, Eps);
                }
            }
        }, iter: 300);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_satisfy_the_one_step_identity_in_every_state()
    {
        GenChain.Sample((table, order) =>
        {
            var chain = MarkovChain.FromPaths(table, order);
            var x = chain.Nodes().ToDictionary(n => n.Node, n => n.ConversionProbability);
            x[MarkovChain.Conversion] = 1;
            x[MarkovChain.Null] = 0;
            foreach (var group in chain.Transitions().GroupBy(t => t.From))
            {
                Assert.Equal(1.0, group.Sum(t => t.Probability), Eps);
                Assert.Equal(x[group.Key], group.Sum(t => t.Probability * x[t.To]), Eps);
            }

            Assert.All(chain.Nodes(), n => Assert.InRange(n.ConversionProbability, -Eps, 1 + Eps));
        }, iter: 300);
    }

    [Fact]
    public void From_start_the_chain_converts_at_the_observed_rate()
    {
        // The observed visit counts solve the flow equations of the chain they were counted from, so the absorption
        // probability from (start) is conversions over journeys, at any order, loops or not.
        GenChain.Sample((table, order) =>
        {
            var chain = MarkovChain.FromPaths(table, order);
            var journeys = table.Sum(r => r.Journeys);
            Assert.Equal(journeys == 0 ? 0 : (double)table.Sum(r => r.Conversions) / journeys, chain.ConversionProbability, Eps);
            Assert.Equal(chain.ObservedConversionRate, chain.ConversionProbability, Eps);
        }, iter: 300);
    }

    [Fact]
    public void The_order_of_the_rows_does_not_matter()
    {
        Gen.Select(GenChain, Gen.Int).Sample((chain, seed) =>
        {
            var (table, order) = chain;
            var random = new Random(seed);
            var shuffled = table.OrderBy(_ => random.Next()).ToList();
            var a = MarkovChain.FromPaths(table, order);
            var b = MarkovChain.FromPaths(shuffled, order);
            Assert.Equal(a.Transitions().Select(t => (t.From, t.To, t.Transitions)), b.Transitions().Select(t => (t.From, t.To, t.Transitions)));
            Assert.Equal(a.Nodes().Select(n => (n.Node, n.Visits, n.Journeys)), b.Nodes().Select(n => (n.Node, n.Visits, n.Journeys)));
        }, iter: 100);
    }

    [Fact]
    public void Removal_effects_match_the_reference_with_the_touch_sent_to_null()
    {
        GenChain.Sample((table, order) =>
        {
            var reference = new ChainReference(table, order);
            var chain = MarkovChain.FromPaths(table, order);
            foreach (var touch in chain.Touches)
            {
                var expected = reference.Absorb(s => reference.ContainedTouches.TryGetValue(s, out var t) && t.Contains(touch)
                    ? new Dictionary<string, double> { [ChainReference.Null] = 1 }
                    : reference.Distribution(s))[ChainReference.Start];
                var actual = chain.ConversionProbabilityWithout(touch);
                Assert.Equal(expected, actual, Eps);
                Assert.InRange(actual, -Eps, chain.ConversionProbability + Eps);
            }

            Assert.Equal(chain.ConversionProbability, chain.ConversionProbabilityWithout("never seen"), Eps);
        }, iter: 300);
    }

    [Fact]
    public void Black_hole_uplifts_match_the_reference_solved_again_with_the_exit_rate_changed()
    {
        GenChain.Sample((table, order) =>
        {
            var reference = new ChainReference(table, order);
            var chain = MarkovChain.FromPaths(table, order);
            var rows = chain.BlackHoles();
            var touchStates = reference.States.Where(s => s != ChainReference.Start).ToList();
            var outs = touchStates.Sum(s => reference.Counts[s].Values.Sum());
            var average = outs == 0 ? 0 : (double)touchStates.Sum(s => reference.Counts[s].GetValueOrDefault(ChainReference.Null)) / outs;
            Assert.Equal(touchStates.Where(s => reference.Counts[s].ContainsKey(ChainReference.Null)).Order(StringComparer.Ordinal), rows.Select(r => r.Node).Order(StringComparer.Ordinal));
            foreach (var row in rows)
            {
                Assert.Equal(average, row.AverageExitRate, Eps);
                Assert.Equal(reference.Counts[row.Node][ChainReference.Null], row.Lost);
                if (row.ExitRate <= average)
                {
                    Assert.Equal(0, row.Uplift);
                    continue;
                }

                var expected = reference.Absorb(s => s == row.Node ? AtRate(reference.Distribution(s), average) : reference.Distribution(s))[ChainReference.Start];
                Assert.Equal(expected, row.ConversionIfAverage, Eps);
                Assert.Equal(expected - chain.ConversionProbability, row.Uplift, Eps);
                Assert.True(row.Uplift >= -Eps, $"uplift {row.Uplift} of {row.Node}");
            }

            Assert.Equal(Enumerable.Range(1, rows.Count), rows.Select(r => r.Rank));
            // Ranked by uplift, then by prospects lost, then by name (as documented on BlackHoles).
            for (var i = 1; i < rows.Count; i++)
            {
                Assert.True(rows[i - 1].Uplift > rows[i].Uplift
                    || (rows[i - 1].Uplift == rows[i].Uplift && (rows[i - 1].Lost > rows[i].Lost
                        || (rows[i - 1].Lost == rows[i].Lost && string.CompareOrdinal(rows[i - 1].Node, rows[i].Node) < 0))));
            }

            // A limit keeps the first rows of the full ranking.
            Assert.Equal(rows.Take(2).Select(r => r.Node), chain.BlackHoles(2).Select(r => r.Node));
        }, iter: 300);

        static Dictionary<string, double> AtRate(Dictionary<string, double> distribution, double rate)
        {
            var exit = distribution.GetValueOrDefault(ChainReference.Null);
            if (exit >= 1)
            {
                return new() { [ChainReference.Null] = rate, [ChainReference.Conversion] = 1 - rate };
            }

            return distribution.ToDictionary(kv => kv.Key, kv => kv.Key == ChainReference.Null ? rate : kv.Value * (1 - rate) / (1 - exit));
        }
    }

    [Fact]
    public void Bright_paths_are_the_most_probable_of_all_simple_routes()
    {
        GenChain.Sample((table, order) =>
        {
            var reference = new ChainReference(table, order);
            var chain = MarkovChain.FromPaths(table, order);
            var all = reference.AllRoutes()
                .Select(r => (Route: string.Join(" > ", r.States.Select(s => reference.LastTouch[s])), r.Probability))
                .OrderByDescending(r => r.Probability).ToList();

            // k beyond the number of simple routes: every route once, with its probability.
            var everything = chain.BrightPaths(all.Count + 5);
            Assert.Equal(all.Count, everything.Count);
            Assert.Equal(all.Select(r => r.Route).Order(StringComparer.Ordinal), everything.Select(r => r.Route).Order(StringComparer.Ordinal));
            var byRoute = all.ToDictionary(r => r.Route, r => r.Probability);
            foreach (var row in everything)
            {
                Assert.Equal(byRoute[row.Route], row.ChainProbability, 1e-12);
                var observed = reference.Observed.GetValueOrDefault(row.Route);
                Assert.Equal(observed.Journeys, row.ObservedJourneys);
                if (observed.Journeys == 0)
                {
                    Assert.Null(row.ConversionRate);
                    Assert.Null(row.Lift);
                }
                else
                {
                    var rate = (double)observed.Conversions / observed.Journeys;
                    Assert.Equal(rate, row.ConversionRate!.Value, Eps);
                    Assert.Equal(rate / chain.ObservedConversionRate, row.Lift!.Value, Eps);
                }
            }

            // The first k: the k highest probabilities, in order, no route twice.
            foreach (var k in new[] { 1, 2, 3 })
            {
                var top = chain.BrightPaths(k);
                Assert.Equal(Math.Min(k, all.Count), top.Count);
                Assert.Equal(top.Count, top.Select(r => r.Route).Distinct().Count());
                for (var i = 0; i < top.Count; i++)
                {
                    Assert.Equal(all[i].Probability, top[i].ChainProbability, 1e-12);
                    Assert.Equal(i + 1, top[i].Rank);
                    Assert.True(i == 0 || top[i - 1].ChainProbability >= top[i].ChainProbability);
                }
            }
        }, iter: 300);
    }
}
