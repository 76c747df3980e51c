using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>Chains small enough to solve by hand: closed-form absorption probabilities, removal effects, states of order 2 to 4.</summary>
public sealed class MarkovChainTests
{
    private const double Eps = 1e-9;

    internal static PathRow Row(string path, long conversions, long nulls) =>
        new(path.Length == 0 ? [] : path.Split(" > "), conversions, conversions * 10.0, nulls);

    private static Dictionary<string, double> Probabilities(MarkovChain chain) => chain.Nodes().ToDictionary(n => n.Node, n => n.ConversionProbability);

    [Theory]
    [InlineData(3, 7)]
    [InlineData(1, 0)]
    [InlineData(0, 5)]
    [InlineData(123, 877)]
    public void One_touch_converts_with_its_one_step_probability(long conversions, long nulls)
    {
        var chain = MarkovChain.FromPaths([Row("A", conversions, nulls)], 1);
        var a = (double)conversions / (conversions + nulls);
        var x = Probabilities(chain);
        Assert.Equal(a, x["A"], Eps);
        Assert.Equal(a, chain.ConversionProbability, Eps);
        var node = chain.Nodes().Single(n => n.Node == "A");
        Assert.Equal(conversions + nulls, node.Visits);
        Assert.Equal(1 - a, node.ExitRate, Eps);
        Assert.Equal(0.0, chain.ConversionProbabilityWithout("A"));
    }

    [Fact]
    public void A_self_loop_divides_by_one_minus_its_probability()
    {
        // A → A: 2 of 8, A → (conversion): 2 of 8, A → (null): 4 of 8, so x_A = a / (1 − q) = 0.25 / 0.75.
        var chain = MarkovChain.FromPaths([Row("A > A", 2, 0), Row("A", 0, 4)], 1);
        var transitions = chain.Transitions().ToDictionary(t => (t.From, t.To), t => t.Probability);
        Assert.Equal(0.25, transitions[("A", "A")], Eps);
        Assert.Equal(1.0 / 3, Probabilities(chain)["A"], Eps);
        var node = chain.Nodes().Single(n => n.Node == "A");
        Assert.Equal(8, node.Visits);
        Assert.Equal(6, node.Journeys);
        Assert.Equal(0.5, node.ExitRate, Eps);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 3, 2)]
    [InlineData(90, 9, 1)]
    public void A_long_loop_converges_to_the_geometric_series(long loops, long conversions, long nulls)
    {
        // One row goes round A many times: q = loops·w / (loops·w + w) with w journeys; x_A = a / (1 − q).
        var path = string.Join(" > ", Enumerable.Repeat("A", (int)loops + 1));
        var chain = MarkovChain.FromPaths([Row(path, conversions, nulls)], 1);
        var total = (double)(loops + 1) * (conversions + nulls);
        var q = loops * (conversions + nulls) / total;
        var a = conversions / total;
        Assert.Equal(a / (1 - q), Probabilities(chain)["A"], Eps);
    }

    [Fact]
    public void Two_touches_in_a_loop_solve_as_two_equations()
    {
        // A: → B 3, → (null) 2, → (conversion) 1 of 6; B: → (conversion) 2, → A 2 of 4; (start): → A 4, → B 1 of 5.
        // x_A = 1/6 + x_B / 2, x_B = 1/2 + x_A / 2  ⇒  x_A = 5/9, x_B = 7/9, x_start = 4/5·5/9 + 1/5·7/9 = 3/5.
        PathRow[] rows = [Row("A > B", 2, 0), Row("A > B > A", 0, 1), Row("B > A", 1, 0), Row("A", 0, 1)];
        foreach (var denseLimit in new[] { AbsorbingSolver.DefaultDenseLimit, 0 })
        {
            var chain = MarkovChain.FromPaths(rows, 1, denseLimit);
            var x = Probabilities(chain);
            Assert.Equal(5.0 / 9, x["A"], Eps);
            Assert.Equal(7.0 / 9, x["B"], Eps);
            Assert.Equal(3.0 / 5, chain.ConversionProbability, Eps);

            // Without B, A converts only directly (1/6) and (start) → B is lost: 4/5 · 1/6.
            Assert.Equal(4.0 / 5 / 6, chain.ConversionProbabilityWithout("B"), Eps);

            // Without A, only (start) → B → (conversion): 1/5 · 1/2.
            Assert.Equal(1.0 / 10, chain.ConversionProbabilityWithout("A"), Eps);
        }
    }

    [Fact]
    public void Journeys_without_touches_go_straight_from_start_to_their_outcome()
    {
        var chain = MarkovChain.FromPaths([Row("", 2, 3), Row("A", 5, 0)], 1);
        var transitions = chain.Transitions().ToDictionary(t => (t.From, t.To), t => (t.Transitions, t.Probability));
        Assert.Equal((2L, 0.2), transitions[(MarkovChain.Start, MarkovChain.Conversion)]);
        Assert.Equal((3L, 0.3), transitions[(MarkovChain.Start, MarkovChain.Null)]);
        Assert.Equal(0.7, chain.ConversionProbability, Eps);
        Assert.Equal(0.2, chain.ConversionProbabilityWithout("A"), Eps);
        var start = chain.Nodes()[0];
        Assert.Equal((MarkovChain.Start, 10L, 10L, 0.3), (start.Node, start.Visits, start.Journeys, start.ExitRate));
    }

    [Fact]
    public void An_empty_table_has_only_start_and_converts_nothing()
    {
        var chain = MarkovChain.FromPaths([Row("A", 0, 0)], 2);
        Assert.Equal([MarkovChain.Start], chain.Nodes().Select(n => n.Node));
        Assert.Empty(chain.Transitions());
        Assert.Equal(0.0, chain.ConversionProbability);
        Assert.Empty(chain.BrightPaths(3));
        Assert.Empty(chain.BlackHoles());
    }

    [Fact]
    public void Order_two_states_are_the_last_two_touches_shorter_at_the_start()
    {
        var chain = MarkovChain.FromPaths([Row("a > b > c", 1, 0), Row("b > c", 0, 1), Row("a > a > a", 0, 1)], 2);
        Assert.Equal(
            [
                (MarkovChain.Start, "a"), (MarkovChain.Start, "b"),
                ("a", "a > a"), ("a", "a > b"),
                ("a > a", "a > a"), ("a > a", MarkovChain.Null),
                ("a > b", "b > c"),
                ("b", "b > c"),
                ("b > c", MarkovChain.Conversion), ("b > c", MarkovChain.Null),
            ],
            chain.Transitions().Select(t => (t.From, t.To)));
        var x = Probabilities(chain);
        Assert.Equal(0.5, x["b > c"], Eps);
        Assert.Equal(0.5, x["a > b"], Eps);
        Assert.Equal(0.0, x["a > a"], Eps);
        Assert.Equal(1.0 / 3, chain.ConversionProbability, Eps);
        var aa = chain.Nodes().Single(n => n.Node == "a > a");
        Assert.Equal((2L, 1L), (aa.Visits, aa.Journeys));

        // States containing b: "b", "a > b", "b > c" all lose their traffic.
        Assert.Equal(0.0, chain.ConversionProbabilityWithout("b"), Eps);
        Assert.Equal(1.0 / 3, chain.ConversionProbabilityWithout("z"), Eps);
    }

    [Fact]
    public void Order_three_and_four_states_keep_up_to_that_many_touches()
    {
        var rows = new[] { Row("a > b > c > d > e > f", 1, 0) };
        Assert.Equal(
            [MarkovChain.Start, "a", "a > b", "a > b > c", "b > c > d", "c > d > e", "d > e > f"],
            MarkovChain.FromPaths(rows, 3).Nodes().Select(n => n.Node));
        Assert.Equal(
            [MarkovChain.Start, "a", "a > b", "a > b > c", "a > b > c > d", "b > c > d > e", "c > d > e > f"],
            MarkovChain.FromPaths(rows, 4).Nodes().Select(n => n.Node));
        Assert.Equal(
            [(MarkovChain.Start, "a"), ("a", "a > b"), ("a > b", "a > b > c"), ("a > b > c", "a > b > c > d"), ("a > b > c > d", "b > c > d > e"),
                ("b > c > d > e", "c > d > e > f"), ("c > d > e > f", MarkovChain.Conversion)],
            MarkovChain.FromPaths(rows, 4).Transitions().Select(t => (t.From, t.To)));
    }

    [Fact]
    public void Higher_order_separates_histories_that_order_one_mixes()
    {
        // After x, b always converts; after y, b never does. Order 1 mixes them into one b (1/2); order 2 keeps them apart,
        // and removing x there also removes the converting "x > b" state.
        PathRow[] rows = [Row("x > b", 4, 0), Row("y > b", 0, 4)];
        var first = Probabilities(MarkovChain.FromPaths(rows, 1));
        var second = Probabilities(MarkovChain.FromPaths(rows, 2));
        Assert.Equal(0.5, first["x"], Eps);
        Assert.Equal(0.5, first["b"], Eps);
        Assert.Equal(1.0, second["x > b"], Eps);
        Assert.Equal(0.0, second["y > b"], Eps);
        Assert.Equal(1.0, second["x"], Eps);
        Assert.Equal(0.5, MarkovChain.FromPaths(rows, 2).ConversionProbability, Eps);
        Assert.Equal(0.0, MarkovChain.FromPaths(rows, 2).ConversionProbabilityWithout("x"), Eps);
        Assert.Equal(0.5, MarkovChain.FromPaths(rows, 2).ConversionProbabilityWithout("y"), Eps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void The_order_is_validated(int order)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MarkovChain.FromPaths([Row("A", 1, 0)], order));
        Assert.Equal("order", e.ParamName);
        Assert.Contains(order.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_counts_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => MarkovChain.FromPaths([Row("A", -1, 3)], 1));
        Assert.Throws<ArgumentException>(() => MarkovChain.FromPaths([Row("A", 1, -3)], 1));
    }

    [Fact]
    public void Rows_print_their_values_under_their_columns()
    {
        var chain = MarkovChain.FromPaths([Row("A > B", 1, 0), Row("A", 0, 3)], 1);
        Assert.All(chain.Transitions(), r => Assert.Equal(TransitionRow.Columns.Count, r.Values().Length));
        Assert.All(chain.Nodes(), r => Assert.Equal(NodeRow.Columns.Count, r.Values().Length));
        Assert.All(chain.BlackHoles(), r => Assert.Equal(BlackHoleRow.Columns.Count, r.Values().Length));
        Assert.All(chain.BrightPaths(3), r => Assert.Equal(BrightPathRow.Columns.Count, r.Values().Length));
        Assert.Equal(["from", "to", "transitions", "probability"], TransitionRow.Columns);
        Assert.Equal("A > B", chain.BrightPaths(1)[0].Values()[1]);
        Assert.All(
            [TransitionRow.Columns, NodeRow.Columns, BlackHoleRow.Columns, BrightPathRow.Columns],
            columns => Assert.All(columns, c => Assert.Matches("^[a-z]+(_[a-z]+)*$", c)));
    }
}
