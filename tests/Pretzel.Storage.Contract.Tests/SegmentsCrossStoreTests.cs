using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Segments;
using Pretzel.Core.Events;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random people with visits, purchases, orders and refunds over ten months, stored in DuckDB and in the ClickHouse cluster,
/// get the same segment rows from both; and those are the rows of the reference over the journeys loaded person by person
/// (not the column kernel). Custom segments' SQL conditions are evaluated by each store.
/// </summary>
public sealed class SegmentsCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2025, 11, 15, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Channels = ["direct", "email", "paid_search", null, null];
    private static readonly string[] Names = ["view", "view", "purchase", "order_completed", "signup", "refund", "purchase"];

    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251201);
        var events = new List<Event>();
        for (var p = 0; p < 300; p++)
        {
            var n = random.Next(1, 16);
            var t = T0.AddHours(random.Next(0, 24 * 200));
            string? user = p % 4 == 0 ? "u" + (p / 3) : null;
            for (var i = 0; i < n; i++)
            {
                t = t.AddMinutes(random.Next(0, 5) == 0 ? 0 : random.Next(1, 60 * 24 * 40));
                var name = Names[random.Next(Names.Length)];
                events.Add(new Event
                {
                    MessageId = $"sg-{p:D3}-{i:D2}",
                    Name = name,
                    // Whole hundreds, so that equal monetary values (ties) are common.
                    Revenue = name is "purchase" or "order_completed" ? random.Next(1, 20) * 100 : name == "refund" ? -random.Next(1, 5) * 100 : null,
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

    public static TheoryData<string, bool, string?, string?, string, string?> Settings() => new()
    {
        { "rfm", false, null, null, "UTC", null },
        { "rfm", true, "purchase", "none", "UTC", null },
        { "abc_xyz", false, null, null, "Europe/London", null },
        { "abc_xyz", true, null, null, "America/New_York", "week" },
        { "abc_xyz", false, "purchase,order_completed", "refund", "Asia/Kolkata", "day" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Both_stores_give_the_reference_segments(string kind, bool people, string? purchase, string? refund, string zone, string? period)
    {
        var report = new SegmentsReport { Kind = kind, People = people, PurchaseEvent = purchase, RefundEvent = refund, TimeZone = zone, Period = period, To = "2025-11-15" };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        var clickHouse = await report.RunAsync(ClickHouse, now);
        Assert.Equal(ReportRows.Flatten(duck.Rows), ReportRows.Flatten(clickHouse.Rows));

        var buyers = SegmentReference.Compute(await JourneyLoader.LoadAsync(Duck, To), report.Options(To));
        var expected = people ? SegmentRows.People(buyers, kind) : kind == "rfm" ? SegmentRows.RfmSummary(buyers) : SegmentRows.AbcXyzSummary(buyers);
        Assert.Equal(expected.Columns, duck.Columns);
        Assert.Equal(ReportRows.Flatten(expected.Rows), ReportRows.Flatten(duck.Rows));
        Assert.True(buyers.Count > 50, "the data should make many buyers");
        Assert.True(buyers.Select(b => b.RfmSegment).Distinct().Count() > 4, "the data should fill several segments");
    }

    [Fact]
    public async Task Both_stores_put_the_same_people_in_custom_segments()
    {
        var report = new SegmentsReport { Segment = ["emailed_big=channel = 'email' AND revenue > 1000", "refunded=event = 'refund'"], To = "2025-11-15" };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        Assert.Equal(ReportRows.Flatten(duck.Rows), ReportRows.Flatten((await report.RunAsync(ClickHouse, now)).Rows));
        var people = report with { People = true };
        Assert.Equal(ReportRows.Flatten((await people.RunAsync(Duck, now)).Rows), ReportRows.Flatten((await people.RunAsync(ClickHouse, now)).Rows));

        var journeys = await JourneyLoader.LoadAsync(Duck, To);
        var emailedBig = SegmentReference.Members(journeys, e => e.Channel == "email" && e.Revenue > 1000, To).Count;
        var refunded = SegmentReference.Members(journeys, e => e.Name == "refund", To).Count;
        Assert.Equal([emailedBig, refunded], duck.Rows.Select(r => (int)(long)r[1]!));
        Assert.True(emailedBig > 0 && refunded > 0, "the data should fill both segments");
    }

    [Theory]
    [InlineData("segment:rfm")]
    [InlineData("segment:abc_xyz")]
    public async Task Reports_by_segment_are_the_reports_over_each_segments_people_on_both_stores(string by)
    {
        var now = DateTime.UtcNow;
        var funnel = new FunnelRowsReport(new FunnelArguments { Steps = "view,signup,purchase", To = "2025-11-15", Window = "60d" }.ToOptions(now));
        var journeyOptions = new PathArguments { To = "2025-11-15", Conversion = "purchase" };
        IReport[] reports = [funnel, new PathsReport { Paths = journeyOptions, Top = 5 }, new AttributionReport { Paths = journeyOptions, Models = "linear,markov" }];
        var duckFunnel = new List<object?[]>();
        foreach (var inner in reports)
        {
            var duck = await new SegmentedReport(inner, by).RunAsync(Duck, now);
            Assert.Equal(ReportRows.Flatten(duck.Rows), ReportRows.Flatten((await new SegmentedReport(inner, by).RunAsync(ClickHouse, now)).Rows));
            Assert.Equal("segment", duck.Columns[0]);
            Assert.True(duck.Rows.Select(r => r[0]).Distinct().Count() >= 3, "several segments");
            if (ReferenceEquals(inner, funnel))
            {
                duckFunnel.AddRange(duck.Rows);
            }
        }

        // The funnel of each segment is the reference funnel over the journeys of that segment's people.
        var columns = await Duck.ReadEventColumnsAsync();
        var scores = SegmentKernel.Compute(columns, new SegmentOptions { To = EventTime.FromMicros(columns.Micros.Max()) });
        var assignment = by == "segment:rfm" ? scores.Rfm() : scores.AbcXyz();
        var segmentOf = Enumerable.Range(0, columns.PersonCount).ToDictionary(p => columns.PersonIds[p], p => assignment.SegmentOf(p) ?? SegmentedReport.None);
        var expected = (await JourneyLoader.LoadAsync(Duck, null))
            .GroupBy(j => segmentOf[j.PersonId])
            .OrderBy(g => g.Key == SegmentedReport.None).ThenBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => FunnelReference.Compute(g, funnel.Options).Select(r => (object?[])[g.Key, .. r.ValuesBy(null)]));
        Assert.Equal(ReportRows.Flatten(expected), ReportRows.Flatten(duckFunnel));
    }

    [Fact]
    public async Task Both_stores_give_the_same_lifetime_value_fits()
    {
        var report = new Pretzel.Analytics.Lifetime.ClvReport { Params = true, Unit = "day", CalibrationEnd = "2025-09-30" };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        var clickHouse = await report.RunAsync(ClickHouse, now);
        Assert.Equal(duck.Rows.Select(r => (r[0], r[1])), clickHouse.Rows.Select(r => (r[0], r[1])));
        Assert.Contains(duck.Rows, r => (string)r[0]! == "bgnbd");
        for (var i = 0; i < duck.Rows.Count; i++)
        {
            // The same summaries; the sums of the likelihood may be added in another order (the stores order people differently).
            var (a, b) = ((double)duck.Rows[i][2]!, (double)clickHouse.Rows[i][2]!);
            Assert.True(Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Abs(a)), $"{duck.Rows[i][0]} {duck.Rows[i][1]}: {a} vs {b}");
        }
    }

}
