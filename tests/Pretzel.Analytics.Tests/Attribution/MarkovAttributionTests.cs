using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using static Pretzel.Analytics.Tests.Attribution.AttributionReferences;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>The exact Markov model on hand-solved chains and against a dense brute-force solve of every order.</summary>
public sealed class MarkovAttributionTests
{
    private static PathRow Row(string path, long conversions, double value, long nulls) =>
        new(path.Length == 0 ? [] : path.Split('>', StringSplitOptions.TrimEntries), conversions, value, nulls);

    [Fact]
    public void Two_channels_in_sequence_each_remove_everything_and_share_equally()
    {
        // "a > b": 1 conversion, 1 null; "a": 1 null. Chain: (start)→a 3/3; a→b 2/3, a→(null) 1/3; b→(conversion) 1/2,
        // b→(null) 1/2. P = 2/3 · 1/2 = 1/3 (= 1 conversion of 3 journeys). Without a: 0; without b: 0. So RE(a) = RE(b) = 1
        // and each gets 1 · 1/2 conversion.
        var table = AttributionTable.FromRows([Row("a > b", 1, 10, 1), Row("a", 0, 0, 1)]);
        var credits = ByChannel(MarkovAttribution.Compute(table, 1));
        Assert.Equal(1, credits["a"].RemovalEffect!.Value, 12);
        Assert.Equal(1, credits["b"].RemovalEffect!.Value, 12);
        Assert.Equal(0.5, credits["a"].Conversions, 12);
        Assert.Equal(0.5, credits["b"].Conversions, 12);
        Assert.Equal(5, credits["a"].Value, 9);
    }

    [Fact]
    public void Two_channels_with_different_removal_effects_match_the_hand_solution()
    {
        // "a > b": 1 conversion, 1 null; "b": 1 conversion; "a": 1 null. 4 journeys, 2 conversions.
        // (start)→a 3/4, (start)→b 1/4; a→b 2/3, a→(null) 1/3; b is entered 3 times, converts twice: b→(conversion) 2/3.
        // P = 3/4 · 2/3 · 2/3 + 1/4 · 2/3 = 1/3 + 1/6 = 1/2.
        // Without a: only (start)→b remains: 1/4 · 2/3 = 1/6, RE(a) = 1 − (1/6)/(1/2) = 2/3. Without b: 0, RE(b) = 1.
        // Conversions: a = 2 · (2/3)/(5/3) = 0.8, b = 2 · 1/(5/3) = 1.2.
        var table = AttributionTable.FromRows([Row("a > b", 1, 30, 1), Row("b", 1, 10, 0), Row("a", 0, 0, 1)]);
        var credits = ByChannel(MarkovAttribution.Compute(table, 1));
        Assert.Equal(2.0 / 3, credits["a"].RemovalEffect!.Value, 12);
        Assert.Equal(1, credits["b"].RemovalEffect!.Value, 12);
        Assert.Equal(0.8, credits["a"].Conversions, 12);
        Assert.Equal(1.2, credits["b"].Conversions, 12);

        // Value chain: the "a > b" conversion weighs 30 / (40 / 2) = 1.5, the "b" one 10 / 20 = 0.5, nulls 1 each: 4 in all.
        // (start)→a 3.5/4, (start)→b 0.5/4; a→b 2.5/3.5; b is entered with weight 3 and converts with 2: 2/3.
        // P = 2.5/4 · 2/3 + 0.5/4 · 2/3 = 1/2. Without a: 0.5/4 · 2/3 = 1/12, RE(a) = 5/6; without b: 0, RE(b) = 1.
        // Value: a = 40 · (5/6)/(11/6) = 200/11, b = 40 · 1/(11/6) = 240/11.
        Near(200.0 / 11, credits["a"].Value, 1e-9, "value of a");
        Near(240.0 / 11, credits["b"].Value, 1e-9, "value of b");
        var effects = MarkovRemovalEffects([(["a", "b"], 1.5, 1), (["b"], 0.5, 0), (["a"], 0, 1)], 1);
        Assert.Equal(5.0 / 6, effects["a"], 12);
        Assert.True(credits["b"].Value > credits["a"].Value);
    }

    [Fact]
    public void Repeated_touches_are_collapsed_and_a_touchless_conversion_has_its_own_channel()
    {
        var plain = AttributionTable.FromRows([Row("a > b", 2, 20, 3), Row("b", 1, 5, 1), Row("", 1, 7, 0)]);
        var repeated = AttributionTable.FromRows([Row("a > a > b > b > b", 2, 20, 3), Row("b > b", 1, 5, 1), Row("", 1, 7, 0)]);
        foreach (var order in new[] { 1, 2, 3 })
        {
            var x = MarkovAttribution.Compute(plain, order);
            var y = MarkovAttribution.Compute(repeated, order);
            Assert.Equal(x.Select(c => (c.Channel, Math.Round(c.Conversions, 12), Math.Round(c.Value, 9))), y.Select(c => (c.Channel, Math.Round(c.Conversions, 12), Math.Round(c.Value, 9))));
        }

        var credits = ByChannel(MarkovAttribution.Compute(plain, 1));
        Assert.True(credits[AttributionModels.NoTouch].Conversions > 0);
        Assert.Equal(4, credits.Values.Sum(c => c.Conversions), 12);
    }

    [Fact]
    public void Every_order_matches_a_brute_force_dense_solve_on_random_tables()
    {
        Gen.Select(GenTable, Gen.Int[1, 4]).Sample((rows, order) =>
        {
            var table = AttributionTable.FromRows(rows);
            var credits = ByChannel(MarkovAttribution.Compute(table, order));
            var effects = MarkovRemovalEffects(rows.Select(r => (r.Touches, (double)r.Conversions, (double)r.Nulls)), order);
            var conversions = Distribute(effects, table.TotalConversions);
            foreach (var (channel, effect) in effects)
            {
                Near(effect, credits[channel].RemovalEffect!.Value, 1e-9, $"removal effect of {channel} at order {order}");
                Near(conversions[channel], credits[channel].Conversions, 1e-9, $"conversions of {channel} at order {order}");
            }

            // Value: the same solve with each conversion weighted by its value over the mean conversion value.
            var mean = table.TotalValue / Math.Max(1, table.TotalConversions);
            var valueEffects = MarkovRemovalEffects(rows.Select(r => (r.Touches, mean == 0 ? 0 : r.ConversionValue / mean, (double)r.Nulls)), order);
            var values = Distribute(valueEffects, table.TotalValue);
            foreach (var (channel, value) in values)
            {
                // The product rounds the value weights to integers at a scale of 2^50 / journeys: far below 1e-6.
                Near(value, credits[channel].Value, 1e-6, $"value of {channel} at order {order}");
            }
        }, iter: 300);
    }

    [Fact]
    public void With_every_conversion_worth_the_same_value_shares_equal_conversion_shares()
    {
        Gen.Select(GenTable, Gen.Int[1, 3]).Sample((rows, order) =>
        {
            var table = AttributionTable.FromRows([.. rows.Select(r => r with { ConversionValue = r.Conversions * 12.5 })]);
            foreach (var credit in MarkovAttribution.Compute(table, order))
            {
                Near(credit.Conversions * 12.5, credit.Value, 1e-7, credit.Channel);
            }
        }, iter: 200);
    }

    [Fact]
    public void A_table_without_conversions_credits_nothing()
    {
        var credits = MarkovAttribution.Compute(AttributionTable.FromRows([Row("a > b", 0, 0, 4), Row("c", 0, 0, 1)]), 2);
        Assert.Equal(["a", "b", "c"], credits.Select(c => c.Channel));
        Assert.All(credits, c => Assert.Equal((0.0, 0.0, 0.0), (c.Conversions, c.Value, c.RemovalEffect!.Value)));
    }
}
