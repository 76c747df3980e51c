using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Lifetime;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>The report's options and rows: parameters, per-customer rows in order, top, units, and the spend model left out when it cannot be fitted.</summary>
public sealed class ClvReportTests
{
    [Fact]
    public void Params_gives_both_models_parameters_and_log_likelihoods()
    {
        var table = new ClvReport { Params = true }.Run([.. LifetimeData.CdnowWithSpend]);
        Assert.Equal(ClvParameterRow.Columns, table.Columns);
        Assert.Equal(
            ["bgnbd r", "bgnbd alpha", "bgnbd a", "bgnbd b", "bgnbd log_likelihood", "gamma_gamma p", "gamma_gamma q", "gamma_gamma gamma", "gamma_gamma log_likelihood"],
            table.Rows.Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal(0.243, (double)table.Rows[0][2]!, 0.0005);
        Assert.Equal(-4055.9, (double)table.Rows[8][2]!, 0.05);
    }

    [Fact]
    public void Customer_rows_come_by_expected_value_and_top_keeps_the_first()
    {
        var all = new ClvReport().Run([.. LifetimeData.CdnowWithSpend]);
        Assert.Equal(CustomerValueRow.Columns, all.Columns);
        Assert.Equal(2357, all.Rows.Count);
        var values = all.Rows.Select(r => (double)r[7]!).ToList();
        Assert.Equal(values.OrderDescending(), values);
        Assert.All(all.Rows, r => Assert.Equal((double)r[4]! * (double)r[6]!, (double)r[7]!, 1e-4));

        var top = new ClvReport { Top = 5 }.Run([.. LifetimeData.CdnowWithSpend]);
        Assert.Equal(all.Rows.Take(5).Select(r => r[0]), top.Rows.Select(r => r[0]));
    }

    [Fact]
    public void Horizon_is_read_in_the_unit()
    {
        var customers = LifetimeData.CdnowWithSpend.Take(300).ToList();
        var weeks = new ClvReport { Horizon = "52w", Params = false }.Run(customers);
        var days = new ClvReport { Horizon = "364d", Unit = "week" }.Run(customers);
        Assert.Equal(weeks.Rows.Select(r => r[4]), days.Rows.Select(r => r[4]));
    }

    [Fact]
    public void Without_revenue_there_is_no_spend_model_and_the_note_says_so()
    {
        var noValue = LifetimeData.Cdnow.ToList();
        var notes = new List<string>();
        var table = new ClvReport().Run(noValue, notes.Add);
        Assert.All(table.Rows, r => Assert.Null(r[6]));
        Assert.All(table.Rows, r => Assert.Null(r[7]));
        Assert.Contains("no spend model", Assert.Single(notes), StringComparison.Ordinal);
        var expected = table.Rows.Select(r => (double)r[4]!).ToList();
        Assert.Equal(expected.OrderDescending(), expected);
    }

    [Theory]
    [InlineData("--unit month: expected week or day", null, "month", null, null)]
    [InlineData("--horizon 52: expected a positive duration", "52", null, null, null)]
    [InlineData("--calibration-end yesterday: expected an ISO-8601 date", null, null, "yesterday", null)]
    [InlineData("--discount -0.1: expected a rate per week of 0 or more", null, null, null, -0.1)]
    public void Bad_options_are_refused_naming_the_option(string message, string? horizon, string? unit, string? end, double? discount)
    {
        var ex = Assert.Throws<PathException>(() => new ClvReport { Horizon = horizon, Unit = unit, CalibrationEnd = end, Discount = discount }.Check(DateTime.UtcNow));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_must_be_positive_and_purchase_events_named()
    {
        Assert.Throws<PathException>(() => new ClvReport { Top = 0 }.Validate());
        Assert.Throws<PathException>(() => new ClvReport { Purchase = "purchase,," }.Validate());
    }

    [Fact]
    public void Data_that_cannot_be_fitted_is_reported_as_the_reports_error()
    {
        var ex = Assert.Throws<PathException>(() => new ClvReport().Run([new CustomerSummary("a", 0, 0, 3)]));
        Assert.Contains("bought again", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_columns_without_events_give_no_last_time() =>
        Assert.Null(CustomerSummaries.LastEventTime(JourneyColumns.FromJourneys([])));

    [Fact]
    public void The_last_event_time_is_the_latest_of_any_person()
    {
        var t = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var columns = JourneyColumns.FromJourneys([
            new PersonJourney("a", [new JourneyEvent(EventTime.ToMicros(t), "m1", "track", "x", null, null, null, null)]),
            new PersonJourney("b", [new JourneyEvent(EventTime.ToMicros(t.AddDays(-3)), "m2", "track", "x", null, null, null, null)]),
        ]);
        Assert.Equal(t, CustomerSummaries.LastEventTime(columns));
    }
}
