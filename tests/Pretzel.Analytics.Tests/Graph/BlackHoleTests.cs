using Pretzel.Analytics.Graph;
using static Pretzel.Analytics.Tests.Graph.MarkovChainTests;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>Black holes on a site with a planted dead end, checked against hand-derived uplifts.</summary>
public sealed class BlackHoleTests
{
    private const double Eps = 1e-9;

    // 182 journeys, 47 conversions. careers is the dead end: 92 journeys reach it, 90 of them end there.
    private static readonly MarkovChain Site = MarkovChain.FromPaths(
        [Row("home > pricing", 30, 20), Row("home", 5, 15), Row("home > careers", 2, 90), Row("pricing", 10, 10)], 1);

    // Touch states: home 162 out (15 to null), pricing 70 (30), careers 92 (90).
    private const double Average = 135.0 / 324;

    [Fact]
    public void The_dead_end_ranks_first_with_its_losses()
    {
        var rows = Site.BlackHoles();
        Assert.Equal(["careers", "pricing", "home"], rows.Select(r => r.Node));
        var careers = rows[0];
        Assert.Equal((1, 90L, 92L), (careers.Rank, careers.Lost, careers.TransitionsOut));
        Assert.Equal(90.0 / 92, careers.ExitRate, Eps);
        Assert.Equal(Average, careers.AverageExitRate, Eps);
        Assert.True(rows.All(r => r.Uplift >= 0));
        Assert.True(careers.Uplift > rows[1].Uplift);
    }

    [Fact]
    public void A_small_leaky_page_outranks_a_busy_ordinary_one()
    {
        // home loses more journeys (400) at an ordinary rate; careers loses fewer (180) but nine in ten of its visitors.
        var chain = MarkovChain.FromPaths([Row("home > pricing", 300, 300), Row("home", 100, 400), Row("home > careers", 20, 180)], 1);
        var rows = chain.BlackHoles();
        Assert.True("careers" == rows[0].Node, string.Join(" | ", rows.Select(r => $"{r.Node} {r.Lost} {r.ExitRate} {r.AverageExitRate} {r.Uplift}")));
        Assert.True(rows.First(r => r.Node == "home").Lost > rows[0].Lost);
        Assert.Equal(rows.Select(r => r.Uplift).OrderDescending(), rows.Select(r => r.Uplift));
    }

    [Fact]
    public void Uplift_is_what_reaching_the_state_times_its_better_outcome_adds()
    {
        // No loops: (start) reaches careers with probability 92/182. At the average exit rate, careers' only other
        // edge, (conversion), takes the rest: 2/92 scaled by (1 − average) / (1 − 90/92) = 1 − average.
        var careers = Site.BlackHoles()[0];
        var expected = (47.0 / 182) + (92.0 / 182 * ((1 - Average) - (2.0 / 92)));
        Assert.Equal(expected, careers.ConversionIfAverage, Eps);
        Assert.Equal(expected - (47.0 / 182), careers.Uplift, Eps);

        // pricing (30/70 > average) splits its rest the same way: pricing converts with 1 − average from 40/70.
        var pricing = Site.BlackHoles().Single(r => r.Node == "pricing");
        Assert.Equal((47.0 / 182) + (70.0 / 182 * ((1 - Average) - (40.0 / 70))), pricing.ConversionIfAverage, Eps);

        // home loses less than average: nothing to gain.
        var home = Site.BlackHoles().Single(r => r.Node == "home");
        Assert.Equal(0, home.Uplift);
        Assert.Equal(Site.ConversionProbability, home.ConversionIfAverage);
    }

    [Fact]
    public void A_state_that_only_loses_sends_the_difference_to_conversion()
    {
        // careers never converts: at the average exit rate (40/80 over home and careers) it would convert half its exits.
        var chain = MarkovChain.FromPaths([Row("home", 20, 20), Row("home > careers", 0, 40)], 1);
        var careers = chain.BlackHoles()[0];
        Assert.Equal("careers", careers.Node);
        Assert.Equal(1.0, careers.ExitRate);
        Assert.Equal(0.5, careers.AverageExitRate, Eps);
        Assert.Equal(0.25 + (0.5 * 0.5), careers.ConversionIfAverage, Eps);
    }

    [Fact]
    public void Uplift_through_a_loop_matches_the_closed_form()
    {
        // A → A 1 of 4, → (conversion) 1, → (null) 2; B → (conversion) 3 of 4, → (null) 1; (start) → A 3 of 7, → B 4 of 7.
        // Touch exits: 3 of 8 = 0.375. A at 0.375: the others scale by 0.625/0.5, q = 0.3125, a = 0.3125; x_A = a / (1 − q).
        var chain = MarkovChain.FromPaths([Row("A > A", 1, 0), Row("A", 0, 1), Row("A", 0, 1), Row("B", 3, 1)], 1);
        var a = chain.BlackHoles().Single(r => r.Node == "A");
        Assert.Equal(0.375, a.AverageExitRate, Eps);
        var expected = (3.0 / 7 * (0.3125 / (1 - 0.3125))) + (4.0 / 7 * 0.75);
        Assert.Equal(expected, a.ConversionIfAverage, Eps);
    }

    [Fact]
    public void A_limit_keeps_the_top_rows_and_explanations_read_well()
    {
        var top = Site.BlackHoles(1);
        Assert.Equal(["careers"], top.Select(r => r.Node));
        var careers = top[0];
        Assert.StartsWith("90 journeys end right after careers; 97.8% of its exits are losses against 41.7% on average; matching the average would lift conversion from 25.8% to ", careers.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("no worse than average", Site.BlackHoles().Single(r => r.Node == "home").Explanation, StringComparison.Ordinal);
        Assert.Empty(Site.BlackHoles(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Site.BlackHoles(-1));
        var big = MarkovChain.FromPaths([Row("careers", 1, 1234), Row("home", 50, 10)], 1).BlackHoles()[0];
        Assert.StartsWith("1,234 journeys end right after careers", big.Explanation, StringComparison.Ordinal);
        var one = MarkovChain.FromPaths([Row("careers", 3, 1)], 1).BlackHoles()[0];
        Assert.StartsWith("1 journey ends right after careers", one.Explanation, StringComparison.Ordinal);
    }
}
