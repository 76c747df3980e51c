using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using static Pretzel.Analytics.Tests.Attribution.AttributionReferences;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>The rule-based models and time decay on journeys whose credit is worked out by hand.</summary>
public sealed class HeuristicAttributionTests
{
    // Three converted journeys and one lost one:
    //   "email > direct > search > direct": 2 conversions, value 100
    //   "direct > direct": 1 conversion, value 30
    //   "search": 1 conversion, value 10
    //   "email > search": no conversion, 5 nulls (credits nothing)
    private static readonly AttributionTable Table = AttributionTable.FromRows(
    [
        new PathRow(["email", "direct", "search", "direct"], 2, 100, 0),
        new PathRow(["direct", "direct"], 1, 30, 0),
        new PathRow(["search"], 1, 10, 0),
        new PathRow(["email", "search"], 0, 0, 5),
    ]);

    private static Dictionary<string, (double Conversions, double Value)> Credits(string model, PositionWeights? weights = null) =>
        HeuristicAttribution.Compute(Table, model, weights ?? PositionWeights.Default).ToDictionary(c => c.Channel, c => (c.Conversions, c.Value), StringComparer.Ordinal);

    [Fact]
    public void First_and_last_touch_credit_one_end_of_each_converted_journey()
    {
        Assert.Equal(new Dictionary<string, (double, double)> { ["email"] = (2, 100), ["direct"] = (1, 30), ["search"] = (1, 10) }, Credits(AttributionModels.FirstTouch));
        Assert.Equal(new Dictionary<string, (double, double)> { ["email"] = (0, 0), ["direct"] = (3, 130), ["search"] = (1, 10) }, Credits(AttributionModels.LastTouch));
    }

    [Fact]
    public void Last_non_direct_passes_over_direct_unless_there_is_nothing_else()
    {
        // Journey 1 ends "search > direct": search. Journey 2 is all direct: direct. Journey 3: search.
        Assert.Equal(new Dictionary<string, (double, double)> { ["email"] = (0, 0), ["direct"] = (1, 30), ["search"] = (3, 110) }, Credits(AttributionModels.LastNonDirect));
    }

    [Fact]
    public void Linear_splits_each_journey_equally_over_its_touches_repeats_included()
    {
        // Journey 1: 4 touches, 1/4 each: email 1/4, direct 2/4, search 1/4 (× 2 conversions, × 100 value).
        var credits = Credits(AttributionModels.Linear);
        Assert.Equal((0.5, 25.0), credits["email"]);
        Assert.Equal((1.0 + 1, 50.0 + 30), credits["direct"]);
        Assert.Equal((0.5 + 1, 25.0 + 10), credits["search"]);
    }

    [Fact]
    public void Position_based_gives_first_and_last_their_weights_and_shares_the_middle()
    {
        // Journey 1 (4 touches): email 0.4, direct 0.1 + 0.4, search 0.1; × 2 → email 0.8, direct 1.0, search 0.2.
        // Journey 2 (2 touches): 40/(40+40) to each end, both direct: 1. Journey 3 (1 touch): search 1.
        var credits = Credits(AttributionModels.PositionBased);
        Assert.Equal(0.8, credits["email"].Conversions, 12);
        Assert.Equal(2.0, credits["direct"].Conversions, 12);
        Assert.Equal(1.2, credits["search"].Conversions, 12);
        Assert.Equal(40, credits["email"].Value, 9);
        Assert.Equal(50 + 30, credits["direct"].Value, 9);
        Assert.Equal(10 + 10, credits["search"].Value, 9);

        // 30,40,30 → journey 1: email 0.3, middle 0.2 each, last direct 0.3; a two-touch journey splits 30:30.
        var custom = Credits(AttributionModels.PositionBased, new PositionWeights(30, 40, 30));
        Assert.Equal(0.6, custom["email"].Conversions, 12);
        Assert.Equal(2 * (0.2 + 0.3) + 1, custom["direct"].Conversions, 12);
        Assert.Equal(2 * 0.2 + 1, custom["search"].Conversions, 12);

        // Two touches, weights 10,80,30: first 10/40, last 30/40.
        var two = HeuristicAttribution.Compute(AttributionTable.FromRows([new PathRow(["x", "y"], 4, 0, 0)]), AttributionModels.PositionBased, new PositionWeights(10, 80, 30));
        Assert.Equal([1.0, 3.0], two.Select(c => c.Conversions));
    }

    [Theory]
    [InlineData("40,20")]
    [InlineData("40,20,x")]
    [InlineData("-1,50,51")]
    [InlineData("0,100,0")]
    public void Bad_position_weights_are_refused_naming_the_option(string text)
    {
        var ex = Assert.Throws<PathException>(() => PositionWeights.Parse(text));
        Assert.Contains("--position-weights", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_decay_halves_a_touch_per_half_life_before_the_conversion()
    {
        const long day = 86_400_000_000;
        var end = 100 * day;
        PathJourney[] journeys =
        [
            // Touches 14 days, 7 days and 0 days before: weights 1/4, 1/2, 1 → 1/7, 2/7, 4/7.
            new(["email", "search", "direct"], [end - (14 * day), end - (7 * day), end], true, 70, end - (14 * day), end),
            // Touches 1 and 8 days before the conversion: weights 2^(-1/7), 2^(-8/7): 2/3 and 1/3 of the credit.
            new(["search", "email"], [end - (8 * day), end - day], true, 0, end - (8 * day), end),
            new(["email"], [end], false, 0, end, end),
            new([], [], true, 5, end, end),
        ];
        var credits = HeuristicAttribution.TimeDecay(journeys, TimeSpan.FromDays(7)).ToDictionary(c => c.Channel, StringComparer.Ordinal);
        Assert.Equal(1.0 / 7 + (2.0 / 3), credits["email"].Conversions, 12);
        Assert.Equal(2.0 / 7 + (1.0 / 3), credits["search"].Conversions, 12);
        Assert.Equal(4.0 / 7, credits["direct"].Conversions, 12);
        Assert.Equal((1.0, 5.0), (credits[AttributionModels.NoTouch].Conversions, credits[AttributionModels.NoTouch].Value));
        Assert.Equal(10, credits["email"].Value, 9);
        Assert.Equal(40, credits["direct"].Value, 9);

        // A half-life of a second: the last touch gets all, and nothing underflows to 0/0.
        var sharp = HeuristicAttribution.TimeDecay(journeys, TimeSpan.FromSeconds(1)).ToDictionary(c => c.Channel, StringComparer.Ordinal);
        Assert.Equal(1, sharp["direct"].Conversions, 12);
        Assert.Equal(1, sharp["email"].Conversions, 12);
        Assert.Equal(0, sharp["search"].Conversions, 12);
    }

    [Fact]
    public void A_converted_journey_without_touches_is_credited_to_no_touch_by_every_model()
    {
        var table = AttributionTable.FromRows([new PathRow([], 3, 9, 0), new PathRow(["a"], 1, 1, 2)]);
        foreach (var model in AttributionModels.All.Where(m => m != AttributionModels.TimeDecay))
        {
            var credits = AttributionEngine.Model(table, null, model, new AttributionOptions());
            Assert.Equal(4, credits.Sum(c => c.Conversions), 12);
            Assert.Contains(credits, c => c.Channel == AttributionModels.NoTouch && c.Conversions > 0);
        }

        Assert.Equal(3, ByChannel(HeuristicAttribution.Compute(table, AttributionModels.Linear, PositionWeights.Default))[AttributionModels.NoTouch].Conversions);
    }
}
