using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using static Pretzel.Analytics.Tests.Attribution.AttributionReferences;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>Shapley credits against coalition enumeration and every ordering, and the Shapley axioms.</summary>
public sealed class ShapleyAttributionTests
{
    [Fact]
    public void Matches_subset_enumeration_and_the_average_over_orderings()
    {
        GenTable.Sample(rows =>
        {
            var table = AttributionTable.FromRows(rows);
            var credits = ByChannel(ShapleyAttribution.Compute(table));
            var conversions = ShapleyByEnumeration(rows.Select(r => (r.Touches, (double)r.Conversions)));
            var values = ShapleyByEnumeration(rows.Select(r => (r.Touches, r.ConversionValue)));
            var orderings = ShapleyByOrderings(rows.Select(r => (r.Touches, (double)r.Conversions)));
            foreach (var (channel, phi) in conversions)
            {
                // A channel only in rows without journeys has no row (and is a null player: 0).
                var credit = credits.GetValueOrDefault(channel) ?? new ChannelCredit(channel, 0, 0);
                Near(phi, credit.Conversions, 1e-9, $"conversions of {channel}");
                Near(orderings[channel], phi, 1e-9, $"orderings of {channel}");
                Near(values[channel], credit.Value, 1e-9, $"value of {channel}");
            }
        }, iter: 200);
    }

    [Fact]
    public void Twenty_channels_match_the_enumeration_of_a_million_coalitions()
    {
        var random = new Random(7);
        var channels = Enumerable.Range(0, 20).Select(i => $"c{i:D2}").ToArray();
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            var touches = Enumerable.Range(0, random.Next(1, 7)).Select(_ => channels[random.Next(random.Next(1, 21))]).ToArray();
            var conversions = random.Next(0, 4);
            return new PathRow(touches, conversions, conversions * random.Next(1, 100), random.Next(0, 5));
        }).ToList();
        var credits = ByChannel(ShapleyAttribution.Compute(AttributionTable.FromRows(rows)));
        var expected = ShapleyByEnumeration(rows.Select(r => (r.Touches, (double)r.Conversions)));
        Assert.Equal(20, expected.Count);
        foreach (var (channel, phi) in expected)
        {
            Near(phi, credits[channel].Conversions, 1e-9, channel);
        }
    }

    [Fact]
    public void Efficiency_and_symmetry_hold()
    {
        GenTable.Sample(rows =>
        {
            // "x" and "y" always appear together, in varying places: they must get equal credit.
            var paired = rows.Select((r, i) => r with { Touches = i % 2 == 0 ? [.. r.Touches, "x", "y"] : ["y", .. r.Touches, "x"] }).Append(new PathRow(["x", "y"], 1, 2, 0)).ToList();
            var table = AttributionTable.FromRows(paired);
            var credits = ShapleyAttribution.Compute(table);
            Near(table.TotalConversions, credits.Sum(c => c.Conversions), 1e-12, "efficiency (conversions)");
            Near(table.TotalValue, credits.Sum(c => c.Value), 1e-12, "efficiency (value)");
            var byChannel = ByChannel(credits);
            Assert.Equal(byChannel["x"].Conversions, byChannel["y"].Conversions);
            Assert.Equal(byChannel["x"].Value, byChannel["y"].Value);
        }, iter: 200);
    }

    [Fact]
    public void A_channel_in_no_converting_journey_is_a_null_player()
    {
        var credits = ByChannel(ShapleyAttribution.Compute(AttributionTable.FromRows(
            [new PathRow(["a", "b"], 3, 30, 1), new PathRow(["b"], 1, 10, 0), new PathRow(["z", "a"], 0, 0, 9)])));
        Assert.Equal(0, credits["z"].Conversions);
        Assert.Equal(1.5, credits["a"].Conversions, 12);
        Assert.Equal(2.5, credits["b"].Conversions, 12);
    }
}
