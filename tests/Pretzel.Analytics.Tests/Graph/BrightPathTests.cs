using Pretzel.Analytics.Graph;
using static Pretzel.Analytics.Tests.Graph.MarkovChainTests;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>The most probable routes to conversion on chains whose routes can be listed by hand.</summary>
public sealed class BrightPathTests
{
    private const double Eps = 1e-12;

    // (start): → A 10, → B 3 of 13. A: → (conversion) 6, → (null) 2, → B 2 of 10. B: → (conversion) 4, → (null) 1 of 5.
    // Routes: A 10/13·6/10 = 6/13; B 3/13·4/5 = 2.4/13; A > B 10/13·2/10·4/5 = 1.6/13. No loops, so they add up to 10/13.
    private static readonly MarkovChain Chain = MarkovChain.FromPaths([Row("A", 6, 2), Row("B", 2, 1), Row("A > B", 2, 0)], 1);

    [Fact]
    public void The_top_routes_and_their_probabilities_are_the_hand_computed_ones()
    {
        var rows = Chain.BrightPaths(2);
        Assert.Equal(["A", "B"], rows.Select(r => r.Route));
        Assert.Equal(6.0 / 13, rows[0].ChainProbability, Eps);
        Assert.Equal(2.4 / 13, rows[1].ChainProbability, Eps);
        Assert.Equal([1, 2], rows.Select(r => r.Rank));
    }

    [Fact]
    public void Every_route_once_when_k_is_larger_with_observed_rates_and_lift()
    {
        var rows = Chain.BrightPaths(50);
        Assert.Equal(["A", "B", "A > B"], rows.Select(r => r.Route));
        Assert.Equal(Chain.ConversionProbability, rows.Sum(r => r.ChainProbability), Eps);
        var overall = 10.0 / 13;
        Assert.Equal([8L, 3, 2], rows.Select(r => r.ObservedJourneys));
        Assert.Equal(0.75, rows[0].ConversionRate!.Value, Eps);
        Assert.Equal(0.75 / overall, rows[0].Lift!.Value, Eps);
        Assert.Equal(2.0 / 3, rows[1].ConversionRate!.Value, Eps);
        Assert.Equal(1.0, rows[2].ConversionRate!.Value, Eps);
        Assert.Equal(1.0 / overall, rows[2].Lift!.Value, Eps);
    }

    [Fact]
    public void Loops_are_not_routes_and_unobserved_routes_have_no_rate()
    {
        // A ⇄ B with a loop; journeys without touches convert directly. Simple routes: (), A, B, A > B, B > A.
        var chain = MarkovChain.FromPaths([Row("", 1, 1), Row("A > B > A", 2, 0), Row("B", 1, 1)], 1);
        var rows = chain.BrightPaths(100);
        Assert.Equal(["", "A", "A > B", "B", "B > A"], rows.Select(r => r.Route).Order(StringComparer.Ordinal));
        Assert.Equal(rows.Count, rows.Select(r => r.Route).Distinct().Count());
        var direct = rows.Single(r => r.Route.Length == 0);
        Assert.Empty(direct.Touches);
        Assert.Equal(1.0 / 6, direct.ChainProbability, Eps);
        Assert.Equal((2L, 0.5), (direct.ObservedJourneys, direct.ConversionRate));
        var ab = rows.Single(r => r.Route == "A > B");
        Assert.Equal(0, ab.ObservedJourneys);
        Assert.Null(ab.ConversionRate);
        Assert.Null(ab.Lift);

        // (start) → A: 2/6; A: → B 2, → (conversion) 2 of 4; B: → A 2, → (conversion) 1, → (null) 1 of 4.
        Assert.Equal(2.0 / 6 * 2 / 4 * 1 / 4, ab.ChainProbability, Eps);
        Assert.Equal(2.0 / 6 * 2 / 4, rows.Single(r => r.Route == "A").ChainProbability, Eps);
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i - 1].ChainProbability >= rows[i].ChainProbability);
        }
    }

    [Fact]
    public void Higher_order_routes_are_read_back_as_touches()
    {
        var chain = MarkovChain.FromPaths([Row("a > b > c", 3, 1), Row("a > c", 1, 0)], 2);
        var rows = chain.BrightPaths(5);
        Assert.Equal(["a > b > c", "a > c"], rows.Select(r => r.Route));
        Assert.Equal(["a", "b", "c"], rows[0].Touches);
        Assert.Equal(0.6, rows[0].ChainProbability, Eps);
        Assert.Equal(4, rows[0].ObservedJourneys);
    }

    [Fact]
    public void Zero_routes_and_negative_k()
    {
        Assert.Empty(Chain.BrightPaths(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Chain.BrightPaths(-1));
        Assert.Empty(MarkovChain.FromPaths([Row("A", 0, 4)], 1).BrightPaths(3));
    }

    [Fact]
    public void Yen_on_a_graph_with_known_k_shortest_paths()
    {
        // The classic example: C=0, D=1, E=2, F=3, G=4, H=5; shortest C→H paths cost 5 (C-E-F-H), 7 (C-E-G-H), 8 (C-D-F-H).
        var graph = new IReadOnlyList<(int, double)>[6];
        graph[0] = [(1, 3), (2, 2)];
        graph[1] = [(3, 4)];
        graph[2] = [(1, 1), (3, 2), (4, 3)];
        graph[3] = [(4, 2), (5, 1)];
        graph[4] = [(5, 2)];
        graph[5] = [];
        var paths = KShortestPaths.Yen(graph, 0, 5, 3);
        Assert.Equal([[0, 2, 3, 5], [0, 2, 4, 5], [0, 1, 3, 5]], paths);
        Assert.Equal(7, KShortestPaths.Yen(graph, 0, 5, 100).Count);
    }
}
