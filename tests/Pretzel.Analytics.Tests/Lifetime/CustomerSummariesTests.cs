using System.Globalization;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Lifetime;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>
/// Summaries built from event columns: the CDNOW transactions give lifetimes' published summary file exactly; and the
/// rules one at a time (same-day merge, UTC days, birth, the calibration end's whole day, holdout, units, missing revenue).
/// </summary>
public sealed class CustomerSummariesTests
{
    private static readonly DateTime CalibrationEnd = new(1997, 9, 30, 0, 0, 0, DateTimeKind.Utc);

    // The file has 2 decimals, rounded half up from the exact decimal (customer 1's zbar is (29.73 + 14.96)/2 = 22.345,
    // written 22.35), so compare to within half a cent.
    private static void Rounded(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 0.005 + 1e-9, $"expected {expected} (2 decimals), got {actual}");

    [Fact]
    public void The_cdnow_transactions_give_the_published_summaries_with_transactions()
    {
        var columns = LifetimeData.CdnowTransactions();
        var built = CustomerSummaries.FromEvents(columns, ["purchase"], CalibrationEnd, LifetimeUnit.Week).ToDictionary(c => c.Id);
        var published = LifetimeData.CdnowWithSpend;

        // Every customer's first purchase is in Q1 1997, so all 2,357 are in the calibration period.
        Assert.Equal(published.Count, built.Count);
        foreach (var expected in published)
        {
            var actual = built[expected.Id];
            Assert.Equal(expected.X, actual.X);
            Rounded(expected.Tx, actual.Tx);
            Rounded(expected.T, actual.T);
            Rounded(expected.Zbar, actual.Zbar);
        }

        // The JMR paper's RFM check: 946 customers with x > 0, the mean of their zbar 35.08.
        var repeat = built.Values.Where(c => c.X > 0).ToList();
        Assert.Equal(946, repeat.Count);
        Assert.Equal(35.08, Math.Round(repeat.Average(c => c.Zbar), 2));
        Assert.Equal(35.07855179704026, published.Where(c => c.X > 0).Average(c => c.Zbar), 1e-9);
    }

    [Fact]
    public void The_summaries_fit_the_published_parameters_too()
    {
        var built = CustomerSummaries.FromEvents(LifetimeData.CdnowTransactions(), ["purchase"], CalibrationEnd, LifetimeUnit.Week);
        var model = BgNbdModel.Fit(built);

        // Unrounded times move the fit only in the fourth digit.
        Assert.Equal(0.243, model.R, 0.001);
        Assert.Equal(4.414, model.Alpha, 0.01);
        Assert.Equal(0.793, model.A, 0.002);
        Assert.Equal(2.426, model.B, 0.01);
        var spend = GammaGammaModel.Fit(built);
        Assert.Equal(946, spend.Customers);
        Assert.Equal(6.25, spend.P, 0.01);
    }

    private static EventColumns Columns(params (string Person, string Time, string Event, double? Revenue)[] events) =>
        JourneyColumns.FromJourneys([.. events.GroupBy(e => e.Person).Select(g => new PersonJourney(g.Key, [.. g
            .Select((e, i) => new JourneyEvent(EventTime.ToMicros(DateTime.Parse(e.Time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                $"m{i:D3}", "track", e.Event, null, null, null, null, null, e.Revenue))
            .OrderBy(e => e.Micros)]))]);

    [Fact]
    public void Same_day_purchases_merge_into_one_transaction_and_their_revenue_adds_up()
    {
        var columns = Columns(
            ("p", "2025-01-01T09:00:00Z", "purchase", 10),
            ("p", "2025-01-01T23:59:59Z", "order_completed", 5),
            ("p", "2025-01-08T00:00:00Z", "purchase", 20),
            ("p", "2025-01-08T12:00:00Z", "purchase", 2),
            ("p", "2025-01-15T06:00:00Z", "page_viewed", 1000),
            ("p", "2025-01-22T06:00:00Z", "purchase", null));
        var c = Assert.Single(CustomerSummaries.FromEvents(columns, ["purchase", "order_completed"], new DateTime(2025, 1, 29, 0, 0, 0, DateTimeKind.Utc), LifetimeUnit.Day));

        // Days 0 (birth), 7 and 21: two repeats worth 22 and 0 (no revenue counts as 0).
        Assert.Equal(new CustomerSummary("p", 2, 21, 28, 11), c);
    }

    [Fact]
    public void The_calibration_ends_with_the_whole_of_its_UTC_day_and_later_purchases_go_to_the_holdout()
    {
        var columns = Columns(
            ("early", "2025-01-01T10:00:00Z", "purchase", 10),
            ("early", "2025-01-15T23:59:59Z", "purchase", 30),
            ("early", "2025-01-16T00:00:00Z", "purchase", 7),
            ("early", "2025-01-16T05:00:00Z", "purchase", 1),
            ("early", "2025-02-01T00:00:00Z", "purchase", 100),
            ("early", "2025-03-01T00:00:00Z", "purchase", 1000),
            ("late", "2025-01-16T00:00:00Z", "purchase", 5),
            ("browser", "2025-01-02T00:00:00Z", "page_viewed", null));
        var end = new DateTime(2025, 1, 15, 8, 0, 0, DateTimeKind.Utc);
        var summaries = CustomerSummaries.FromEvents(columns, ["purchase"], end, LifetimeUnit.Week, holdoutEnd: new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc));

        // "late" was born after the calibration end and "browser" never bought: both left out.
        var c = Assert.Single(summaries);
        Assert.Equal("early", c.Id);
        Assert.Equal(1, c.X);
        Assert.Equal(2, c.Tx);
        Assert.Equal(2, c.T);
        Assert.Equal(30, c.Zbar);
        Assert.Equal(2, c.HoldoutX);
        Assert.Equal(108, c.HoldoutValue);

        var plain = Assert.Single(CustomerSummaries.FromEvents(columns, ["purchase"], end, LifetimeUnit.Week));
        Assert.Null(plain.HoldoutX);
        Assert.Equal(c with { HoldoutX = null, HoldoutValue = null }, plain);
    }

    [Fact]
    public void Days_are_UTC_whatever_the_offset_of_the_input_time()
    {
        // 23:30 at UTC−5 on the 1st is 04:30 UTC on the 2nd.
        var columns = Columns(("p", "2025-01-01T23:30:00-05:00", "purchase", 1), ("p", "2025-01-02T01:00:00Z", "purchase", 1));
        var c = Assert.Single(CustomerSummaries.FromEvents(columns, ["purchase"], new DateTime(2025, 1, 3, 0, 0, 0, DateTimeKind.Utc), LifetimeUnit.Day));
        Assert.Equal(0, c.X);
        Assert.Equal(1, c.T);
    }

    [Fact]
    public void Day_rounds_down_before_1970()
    {
        Assert.Equal(-1, CustomerSummaries.Day(-1));
        Assert.Equal(-1, CustomerSummaries.Day(-86_400_000_000));
        Assert.Equal(-2, CustomerSummaries.Day(-86_400_000_001));
        Assert.Equal(0, CustomerSummaries.Day(86_399_999_999));
    }
}
