using System.Text;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random journeys with channels and purchases stored in DuckDB and in the ClickHouse cluster get the same attribution
/// rows from both, every model and several ways of cutting journeys; the store's rows equal those of its own path table
/// written to a file and read back (time decay aside, which needs touch times); time decay equals a run over the
/// journeys loaded person by person.
/// </summary>
public sealed class AttributionCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Channels = ["direct", "email", "paid_search", "social", "referral", null];
    private static readonly string[] Names = ["view", "view", "cart", "purchase", "signup"];

    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251123);
        var events = new List<Event>();
        for (var p = 0; p < 200; p++)
        {
            var n = random.Next(1, 16);
            var t = T0.AddHours(random.Next(0, 24 * 40));
            string? user = p % 5 == 0 ? "u" + (p / 3) : null; // some users share, merging people
            for (var i = 0; i < n; i++)
            {
                t = t.AddMinutes(random.Next(0, 5) == 0 ? 0 : random.Next(1, 60 * 24 * 6));
                var name = Names[random.Next(Names.Length)];
                events.Add(new Event
                {
                    MessageId = $"at-{p:D3}-{i:D2}",
                    Name = name,
                    Revenue = name == "purchase" && random.Next(4) > 0 ? random.Next(100, 90_000) / 100.0 : null,
                    Timestamp = t,
                    ReceivedAt = t,
                    AnonymousId = "a" + p,
                    UserId = i > n / 2 ? user : null,
                    Channel = name == "purchase" && random.Next(2) == 0 ? null : Channels[random.Next(Channels.Length)],
                    Campaign = random.Next(3) == 0 ? "c" + random.Next(4) : null,
                });
            }
        }

        return events;
    }

    public static TheoryData<string, bool, string?, string, int> Settings() => new()
    {
        { "channel", false, null, "90d", 1 },
        { "channel", true, null, "20d", 2 },
        { "channel", false, "3", "30d", 3 },
        { "campaign", false, null, "90d", 1 },
        { "channel:event", true, "4", "15d", 2 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Both_stores_give_the_same_attribution_and_so_does_their_path_table_file(string touch, bool collapse, string? maxLength, string lookback, int order)
    {
        var report = new AttributionReport
        {
            Paths = new PathArguments { Touch = touch, Collapse = collapse, MaxLength = maxLength, Lookback = lookback, To = "2025-04-01", Conversion = "purchase" },
            MarkovOrder = order,
            HalfLife = "3d",
        };
        var now = DateTime.UtcNow;
        var duck = await report.RunAsync(Duck, now);
        var clickHouse = await report.RunAsync(ClickHouse, now);
        Assert.Equal(AttributionRow.Columns, duck.Columns);
        Assert.Equal(AttributionModels.All, duck.Rows.Select(r => (string)r[0]!).Distinct());
        Assert.Equal(Flatten(duck.Rows), Flatten(clickHouse.Rows));
        var firstTouch = duck.Rows.Where(r => (string)r[0]! == AttributionModels.FirstTouch).ToList();
        Assert.True(firstTouch.Count >= 3 && firstTouch.Sum(r => (double)r[2]!) > 10 && firstTouch.Sum(r => (double)r[3]!) > 0, "the data should have conversions with value over several touches");

        // The path table written as ChannelAttribution's file and read back: the same rows but time decay.
        var options = report.Validate(now).Paths;
        var table = (await PathQuery.RunAsync(ClickHouse, options)).Table;
        using var writer = new StringWriter();
        PathTableFile.Write(writer, table);
        var read = AttributionPathFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(writer.ToString())), "paths.csv");
        Assert.Empty(read.Errors);
        var fromFile = report.Run(read.Table);
        Assert.Equal(Flatten(duck.Rows).Where(r => !r.StartsWith("time_decay|", StringComparison.Ordinal)), Flatten(fromFile.Rows));

        // Time decay over the journeys loaded person by person (the reference loader, not the column kernel).
        var journeys = (await JourneyLoader.LoadAsync(Duck, options.To)).SelectMany(p => PathReference.Journeys(p, options)).ToList();
        var expected = HeuristicAttribution.TimeDecay(journeys, TimeSpan.FromDays(3)).ToDictionary(c => c.Channel, StringComparer.Ordinal);
        foreach (var row in duck.Rows.Where(r => (string)r[0]! == AttributionModels.TimeDecay))
        {
            var credit = expected.GetValueOrDefault((string)row[1]!);
            Assert.Equal(Math.Round(credit?.Conversions ?? 0, 6), (double)row[2]!, 9);
            Assert.Equal(Math.Round(credit?.Value ?? 0, 6), (double)row[3]!, 5);
        }
    }

    private static List<string> Flatten(IEnumerable<object?[]> rows) => [.. rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "")))];
}
