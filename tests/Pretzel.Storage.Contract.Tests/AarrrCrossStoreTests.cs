using Pretzel.Analytics.Aarrr;
using Pretzel.Analytics.JourneyMap;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random people with visits, sign-ups, purchases, refunds and referrals over ten months, stored in DuckDB and in the
/// ClickHouse cluster, get the same AARRR rows and journey maps from both; and the AARRR rows are the reference's over
/// the journeys loaded person by person (not the column kernel).
/// </summary>
public sealed class AarrrCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Channels = ["direct", "email", "word_of_mouth", "organic_search", null, null];
    private static readonly string[] Names = ["home", "pricing", "blog", "sign_up", "trial_started", "purchase", "purchase", "refund", "referral_sent", "login", "refused"];

    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251125);
        var events = new List<Event>();
        for (var p = 0; p < 250; p++)
        {
            var n = random.Next(1, 14);
            var t = T0.AddHours(random.Next(0, 24 * 250));
            string? user = p % 3 == 0 ? "u" + (p / 2) : null;
            for (var i = 0; i < n; i++)
            {
                t = t.AddMinutes(random.Next(0, 5) == 0 ? 0 : random.Next(1, 60 * 24 * 30));
                var name = Names[random.Next(Names.Length)];
                var page = name is "home" or "pricing" or "blog" or "login";
                events.Add(new Event
                {
                    MessageId = $"aa-{p:D3}-{i:D2}",
                    Type = page ? EventType.Page : EventType.Track,
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

    public static TheoryData<string, string, string?, string?, string?> Settings() => new()
    {
        { "month", "UTC", null, null, null },
        { "week", "Europe/Berlin", "sign_up", "login,purchase", "purchase" },
        { "day", "America/New_York", "home,pricing", null, null },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Both_stores_give_the_reference_aarrr_rows(string period, string zone, string? acquisition, string? retention, string? revenue)
    {
        var report = new AarrrReport
        {
            Period = period, TimeZone = zone, To = "2025-10-15", AcquisitionEvents = acquisition, RetentionEvents = retention, RevenueEvents = revenue,
            ActivationEvents = "sign_up,trial_started", ReferredChannels = "word_of_mouth",
        };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        var clickHouse = await report.RunAsync(ClickHouse, now);
        Assert.Equal(ReportRows.Flatten(duck.Rows), ReportRows.Flatten(clickHouse.Rows));

        var options = report.Options(new DateTime(2025, 10, 15, 0, 0, 0, DateTimeKind.Utc));
        var expected = AarrrRows.Table(AarrrReference.Compute(await JourneyLoader.LoadAsync(Duck, options.To), options), options);
        Assert.Equal(expected.Columns, duck.Columns);
        Assert.Equal(ReportRows.Flatten(expected.Rows), ReportRows.Flatten(duck.Rows));
        Assert.True(duck.Rows.Count(r => (long)r[1]! > 0) > 5, "the data should acquire people in several periods");
        Assert.Contains(duck.Rows, r => (long)r[4]! > 0);
    }

    [Fact]
    public async Task Random_aarrr_tables_pushed_down_to_ClickHouse_give_the_reference_rows()
    {
        // Periods, time zones (daylight saving north and south, offsets of 5:30 and 12:45), event rules and ends at random.
        string[] zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham"];
        string?[] rules = [null, "purchase", "home,pricing", "sign_up", "login,purchase", "refund,purchase"];
        var random = new Random(20251123);
        var journeys = await JourneyLoader.LoadAsync(Duck, null);
        var filled = 0;
        for (var run = 0; run < 25; run++)
        {
            var to = T0.AddHours(random.Next(24 * 20, 24 * 300));
            var report = new AarrrReport
            {
                Period = (string[])["day", "week", "month"] is var units ? units[random.Next(3)] : null,
                TimeZone = zones[random.Next(zones.Length)],
                To = to.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                AcquisitionEvents = rules[random.Next(rules.Length)],
                ActivationEvents = rules[1 + random.Next(rules.Length - 1)],
                RetentionEvents = rules[random.Next(rules.Length)],
                RevenueEvents = rules[random.Next(rules.Length)],
                ReferralEvents = random.Next(2) == 0 ? "referral_sent" : "referral_sent,sign_up",
                ReferredChannels = random.Next(2) == 0 ? "word_of_mouth" : "word_of_mouth,email",
            };
            Assert.True(AarrrPushDown.Applies(ClickHouse));
            var options = report.Options(to);
            var expected = ReportRows.Flatten(AarrrRows.Table(AarrrReference.Compute(journeys, options), options).Rows);
            var actual = ReportRows.Flatten((await report.RunAsync(ClickHouse, DateTime.UtcNow)).Rows);
            ReportRows.Same(expected, actual, report);
            filled += expected.Count;
        }

        Assert.True(filled > 200, $"only {filled} rows over 25 random tables");
        Assert.False(AarrrPushDown.Applies(Duck));
    }

    [Theory]
    [InlineData("journey", "channel")]
    [InlineData("aarrr", "event")]
    public async Task Both_stores_give_the_same_journey_map(string model, string touch)
    {
        var report = new JourneyMapReport { Model = model, Touch = touch, To = "2025-10-15" };
        var duck = await report.BuildAsync(Duck);
        var clickHouse = await report.BuildAsync(ClickHouse);
        Assert.Equal(JourneyMapDocument.Html(duck), JourneyMapDocument.Html(clickHouse));
        Assert.Equal(ReportRows.Flatten(JourneyMapRows.Table(duck).Rows), ReportRows.Flatten(JourneyMapRows.Table(clickHouse).Rows));

        // The stage numbers are the stage report's.
        var stages = await StageQuery.RunAsync(Duck, StageModelFile.Resolve(model), new DateTime(2025, 10, 15, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(stages.Take(duck.Stages.Count).Select(s => (s.Stage, s.Reached, s.Current)), duck.Stages.Select(s => (s.Stage, s.Reached, s.Current)));
        Assert.Contains(duck.Stages, s => !s.Gap);
    }

}
