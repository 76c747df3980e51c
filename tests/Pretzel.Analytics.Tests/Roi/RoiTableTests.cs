using Pretzel.Analytics.Roi;
using Pretzel.Core.Costs;

namespace Pretzel.Analytics.Tests.Roi;

public sealed class RoiTableTests
{
    private static readonly DateOnly Day = new(2025, 3, 1);

    [Fact]
    public void Costs_meet_attributed_revenue_per_channel()
    {
        var rows = RoiTable.Compute(
            [new("paid_search", 4, 400), new("email", 2.5, 250), new("paid_search", 1, 100)],
            [new(Day, "paid_search", "brand", 100, "EUR"), new(Day.AddDays(1), "paid_search", "", 150, "EUR"), new(Day, "display", "retargeting", 80, "EUR")],
            byCampaign: false, until: null, revenueCurrencies: ["EUR"]);
        var search = rows.Single(r => r.Channel == "paid_search");
        Assert.Equal((250.0, 5.0, 500.0), (search.Cost!.Value, search.Conversions, search.Revenue));
        Assert.Equal((50.0, 2.0, 1.0), (search.Cpa!.Value, search.Roas!.Value, search.Romi!.Value));
        var display = rows.Single(r => r.Channel == "display");
        Assert.Equal((80.0, 0.0, 0.0, -1.0), (display.Cost!.Value, display.Conversions, display.Roas!.Value, display.Romi!.Value));
        Assert.Null(display.Cpa);
        var email = rows.Single(r => r.Channel == "email");
        Assert.Null(email.Cost);
        Assert.Null(email.Roas);
        Assert.Equal("paid_search", rows[0].Channel);
    }

    [Fact]
    public void By_campaign_splits_channel_and_campaign_and_costs_after_the_end_are_left_out()
    {
        var rows = RoiTable.Compute(
            [new("paid_search:brand", 2, 100), new("paid_search:(none)", 1, 10)],
            [new(Day, "paid_search", "brand", 20, "EUR"), new(Day, "paid_search", "", 5, "EUR"), new(Day.AddDays(30), "paid_search", "brand", 1000, "EUR")],
            byCampaign: true, until: Day.AddDays(1), revenueCurrencies: []);
        Assert.Equal([("paid_search", "brand", 20.0, 10.0), ("paid_search", "(none)", 5.0, 5.0)],
            rows.Select(r => (r.Channel, r.Campaign!, r.Cost!.Value, r.Cpa!.Value)));
    }

    [Fact]
    public void Mixed_currencies_are_an_error_not_a_sum()
    {
        var ex = Assert.Throws<RoiException>(() => RoiTable.Compute([], [new(Day, "a", "", 1, "EUR"), new(Day, "b", "", 1, "USD")], false, null, []));
        Assert.Contains("EUR and USD", ex.Message, StringComparison.Ordinal);
        var revenue = Assert.Throws<RoiException>(() => RoiTable.Compute([], [new(Day, "a", "", 1, "EUR")], false, null, ["USD"]));
        Assert.Contains("revenue is in USD", revenue.Message, StringComparison.Ordinal);
    }
}
