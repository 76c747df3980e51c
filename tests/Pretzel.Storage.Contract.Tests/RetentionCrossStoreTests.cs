using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Loyalty;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random people with visits, purchases and refunds over ten months, stored in DuckDB and in the ClickHouse cluster,
/// get the same retention rows and loyalty pyramids from both; and those are the rows of the reference over the
/// journeys loaded person by person (not the column kernel).
/// </summary>
public sealed class RetentionCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Channels = ["direct", "email", "paid_search", null, null];
    private static readonly string[] Names = ["view", "view", "purchase", "purchase", "signup", "refund", "churned", "referral_sent", "refused"];

    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251124);
        var events = new List<Event>();
        for (var p = 0; p < 250; p++)
        {
            var n = random.Next(1, 14);
            var t = T0.AddHours(random.Next(0, 24 * 200));
            string? user = p % 4 == 0 ? "u" + (p / 3) : null;
            for (var i = 0; i < n; i++)
            {
                t = t.AddMinutes(random.Next(0, 5) == 0 ? 0 : random.Next(1, 60 * 24 * 40));
                var name = Names[random.Next(Names.Length)];
                events.Add(new Event
                {
                    MessageId = $"rt-{p:D3}-{i:D2}",
                    Name = name,
                    Revenue = name == "purchase" ? random.Next(100, 50_000) / 100.0 : name == "refund" ? -random.Next(100, 5_000) / 100.0 : null,
                    Timestamp = t,
                    ReceivedAt = t,
                    AnonymousId = "a" + p,
                    UserId = i > n / 2 ? user : null,
                    Channel = Channels[random.Next(Channels.Length)],
                });
            }
        }

        return events;
    }

    public static TheoryData<string, string?, string?, string, string?, bool> Settings() => new()
    {
        { "month", null, null, "UTC", null, false },
        { "month", "purchase", "purchase", "Europe/London", "first_touch_channel", false },
        { "week", "signup,purchase", "purchase", "America/New_York", null, false },
        { "day", "purchase", null, "Asia/Kolkata", null, false },
        { "month", "purchase", "purchase", "Europe/Berlin", "first_touch_channel", true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Both_stores_give_the_reference_retention(string cohort, string? start, string? back, string zone, string? by, bool summary)
    {
        var report = new RetentionReport { Cohort = cohort, StartEvent = start, ReturnEvent = back, TimeZone = zone, By = by, Summary = summary, To = "2025-11-15" };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        var clickHouse = await report.RunAsync(ClickHouse, now);
        Assert.Equal(ReportRows.Flatten(duck.Rows), ReportRows.Flatten(clickHouse.Rows));

        var options = report.Options(new DateTime(2025, 11, 15, 0, 0, 0, DateTimeKind.Utc));
        var (cohorts, _) = RetentionReference.Compute(await JourneyLoader.LoadAsync(Duck, options.To, withProperties: false), options);
        var expected = summary ? RetentionRows.Summary(cohorts, options) : RetentionRows.Table(cohorts, options);
        Assert.Equal(expected.Columns, duck.Columns);
        Assert.Equal(ReportRows.Flatten(expected.Rows), ReportRows.Flatten(duck.Rows));
        Assert.True(duck.Rows.Count > 5, "the data should make several cohorts");
    }

    [Fact]
    public async Task Random_retention_tables_pushed_down_to_ClickHouse_give_the_reference_rows()
    {
        // Units, time zones (with daylight saving north and south, and offsets of half and three quarters of an hour),
        // start and return events, breakdowns and ends drawn at random.
        string[] zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham"];
        string?[] events = [null, "purchase", "view,purchase", "signup", "refund,purchase"];
        var random = new Random(20251123);
        var journeys = await JourneyLoader.LoadAsync(Duck, null);
        var cohortsSeen = 0;
        for (var run = 0; run < 30; run++)
        {
            var to = T0.AddHours(random.Next(24 * 30, 24 * 330));
            var report = new RetentionReport
            {
                Cohort = (string[])["day", "week", "month"] is var units ? units[random.Next(3)] : null,
                StartEvent = events[random.Next(events.Length)],
                ReturnEvent = events[random.Next(events.Length)],
                TimeZone = zones[random.Next(zones.Length)],
                By = random.Next(3) == 0 ? "first_touch_channel" : null,
                To = to.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            };
            Assert.True(RetentionPushDown.Applies(ClickHouse, report));
            var options = report.Options(to);
            var (cohorts, _) = RetentionReference.Compute(journeys, options);
            var expected = ReportRows.Flatten(RetentionRows.Table(cohorts, options).Rows);
            var actual = ReportRows.Flatten((await report.RunAsync(ClickHouse, DateTime.UtcNow)).Rows);
            ReportRows.Same(expected, actual, report);
            cohortsSeen += cohorts.Count;
        }

        Assert.True(cohortsSeen > 100, $"only {cohortsSeen} cohorts over 30 random tables");
    }

    [Fact]
    public void Summaries_fits_and_segment_breakdowns_run_as_the_kernel_on_ClickHouse()
    {
        Assert.True(RetentionPushDown.Applies(ClickHouse, new RetentionReport()));
        Assert.False(RetentionPushDown.Applies(ClickHouse, new RetentionReport { Summary = true }));
        Assert.False(RetentionPushDown.Applies(ClickHouse, new RetentionReport { Fit = "sbg" }));
        Assert.False(RetentionPushDown.Applies(ClickHouse, new RetentionReport { By = RetentionReport.BySegmentRfm }));
        Assert.False(RetentionPushDown.Applies(Duck, new RetentionReport()));
    }

    [Theory]
    [InlineData("2025-11-15", null)]
    [InlineData("2025-11-15", "2025-06-01")]
    public async Task Both_stores_give_the_reference_loyalty_pyramid_and_movements(string to, string? from)
    {
        var report = new LoyaltyReport { To = to, From = from, ChurnAfter = "60d" };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        Assert.Equal(ReportRows.Flatten(duck.Rows), ReportRows.Flatten((await report.RunAsync(ClickHouse, now)).Rows));

        var rules = report.Rules();
        var people = await JourneyLoader.LoadAsync(Duck, null);
        LoyaltyLevel?[] At(string date) => [.. people.Select(p => LoyaltyKernel.Reference(p, rules, DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal)))];
        var expected = from is null
            ? LoyaltyReport.Pyramid(At(to), [.. people.Select(p => p.Events.Where(e => EventTime.FromMicros(e.Micros) <= new DateTime(2025, 11, 15, 0, 0, 0, DateTimeKind.Utc)).Sum(e => e.Revenue ?? 0))])
            : LoyaltyReport.Movements(At(from), At(to));
        Assert.Equal(ReportRows.Flatten(expected.Rows), ReportRows.Flatten(duck.Rows));
        Assert.True(duck.Rows.Count(r => r[^1] is long n && n > 0 || r[1] is long m && m > 0) >= 4, "several levels should be filled");
    }

}
