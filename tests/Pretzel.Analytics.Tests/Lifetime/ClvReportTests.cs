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

    [Fact]
    public void An_ordinary_fit_has_no_notes()
    {
        var notes = new List<string>();
        new ClvReport { Params = true }.Run([.. LifetimeData.CdnowWithSpend], notes.Add);
        Assert.Empty(notes);
    }

    [Fact]
    public void Parameters_that_run_off_to_a_limit_of_the_model_are_named_with_what_the_limit_means()
    {
        // Every customer drops out after a purchase with the same chance (0.2), and repeats one price: BG/NBD's a and b
        // and Gamma-Gamma's p then have no finite best value, and the fit must say so rather than show them bare.
        var random = new Random(7);
        var customers = new List<CustomerSummary>();
        for (var i = 0; i < 3000; i++)
        {
            var rate = -Math.Log(1 - random.NextDouble()) * 0.4; // exponential purchase rates across customers
            var age = 20 + random.NextDouble() * 32;
            double t = 0, last = 0;
            var x = 0;
            while (random.NextDouble() >= 0.2)
            {
                t += -Math.Log(1 - random.NextDouble()) / rate;
                if (t > age)
                {
                    break;
                }

                x++;
                last = t;
            }

            customers.Add(new CustomerSummary($"c{i}", x, last, age, x > 0 ? 10 + (i % 7) * 5 : 0));
        }

        var notes = new List<string>();
        var table = new ClvReport { Params = true }.Run(customers, notes.Add);
        var a = (double)table.Rows[2][2]!;
        var b = (double)table.Rows[3][2]!;
        Assert.True(a > 1e5 && b > 1e5, $"a = {a}, b = {b}: the data should drive both up");
        var note = Assert.Single(notes);
        Assert.StartsWith("BG/NBD: a = ", note, StringComparison.Ordinal);
        Assert.Contains($"a/(a+b) = {a / (a + b):0.####}", note, StringComparison.Ordinal);
        Assert.Equal(0.2, a / (a + b), 0.03);
    }

    [Fact]
    public void A_spend_model_at_its_limit_is_named_too()
    {
        // The demo's fit: p runs up and gamma down together.
        var fit = new ClvFit(PublishedFitTests.Purchases.Value, new GammaGammaModel(1.08e8, 0.77, 7.7e-7), null);
        var note = Assert.Single(fit.Notes());
        Assert.StartsWith("Gamma-Gamma: p = 1.08E+08 and gamma = 7.7E-07 ran off", note, StringComparison.Ordinal);
        Assert.Contains("close to each customer's average spend", note, StringComparison.Ordinal);
        Assert.Empty((fit with { Spend = new GammaGammaModel(6.25, 3.74, 15.44) }).Notes());
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
