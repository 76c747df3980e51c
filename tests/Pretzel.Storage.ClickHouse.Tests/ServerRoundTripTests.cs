using System.Text.Json.Nodes;
using CsCheck;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.ClickHouse.Tests;

/// <summary>Values through a real ClickHouse and back: TSV bodies, literals, times and money stay exact.</summary>
public sealed class ServerRoundTripTests(ClickHouseDatabases databases) : IClassFixture<ClickHouseDatabases>
{
    internal static readonly DateTime T0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private const string ExactEventsSql = """
        select message_id, type, event, timestamp_us, received_at_us, anonymous_id, user_id, previous_id, group_id,
               channel, source, medium, campaign, content, term, referrer, revenue, currency, properties
        from events order by message_id
        """;

    private static readonly Event Full = new()
    {
        MessageId = "full",
        Type = EventType.Track,
        Name = "order completed",
        Timestamp = new DateTime(2025, 3, 1, 12, 34, 56, DateTimeKind.Utc).AddTicks(1_234_560),
        ReceivedAt = new DateTime(2025, 3, 1, 12, 35, 0, DateTimeKind.Utc).AddTicks(10),
        AnonymousId = "anon-1",
        UserId = "user-1",
        PreviousId = "prev-1",
        GroupId = "acme",
        Channel = "paid_search",
        Source = "google",
        Medium = "cpc",
        Campaign = "spring \"sale\" it's",
        Content = "tab\there",
        Term = "line\nbreak\r\nand more \\N",
        Referrer = "https://www.google.com/search?q=a,b;c\\d",
        Revenue = 19.99,
        Currency = "EUR",
        Properties = """{"plan":"pro","seats":3,"nested":{"list":[1,2.5,null,true]},"text":"ünïcödé 🥨 \"q\" \t \\ "}""",
    };

    internal static Event Track(string messageId, string? anonymousId = "a-1", string? userId = null, int minutes = 0) => new()
    {
        MessageId = messageId,
        Name = "page_view",
        Timestamp = T0.AddMinutes(minutes),
        ReceivedAt = T0.AddMinutes(minutes).AddSeconds(1),
        AnonymousId = anonymousId,
        UserId = userId,
    };

    /// <summary>Every stored event, read back exactly (times from the microsecond columns).</summary>
    internal static async Task<List<Event>> ReadAllAsync(IEventStore store)
    {
        var rows = await store.QueryAsync(ExactEventsSql);
        return rows.Rows.Select(r => new Event
        {
            MessageId = (string)r[0]!,
            Type = EventTypes.TryParse((string)r[1]!, out var type) ? type.Value : throw new InvalidOperationException((string)r[1]!),
            Name = (string?)r[2],
            Timestamp = ClickHouseEventStore.FromMicros((long)r[3]!),
            ReceivedAt = ClickHouseEventStore.FromMicros((long)r[4]!),
            AnonymousId = (string?)r[5],
            UserId = (string?)r[6],
            PreviousId = (string?)r[7],
            GroupId = (string?)r[8],
            Channel = (string?)r[9],
            Source = (string?)r[10],
            Medium = (string?)r[11],
            Campaign = (string?)r[12],
            Content = (string?)r[13],
            Term = (string?)r[14],
            Referrer = (string?)r[15],
            Revenue = (double?)r[16],
            Currency = (string?)r[17],
            Properties = (string?)r[18],
        }).ToList();
    }

    [Fact]
    public async Task EveryField_RoundTripsExactly()
    {
        var store = await databases.NewStoreAsync();

        await store.AppendAsync([Full]);

        var stored = Assert.Single(await ReadAllAsync(store));
        Assert.Equal(Full, stored);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Full.Properties!), JsonNode.Parse(stored.Properties!)));
    }

    [Fact]
    public async Task RandomText_InEveryTextField_RoundTripsThroughTsv()
    {
        var store = await databases.NewStoreAsync();
        var n = 0;
        var sent = new List<Event>();
        var gen = Gen.Select(TsvEscapingTests.Text, TsvEscapingTests.Text, TsvEscapingTests.Text, TsvEscapingTests.Text);

        // One append of many generated rows: the check is on the data, so one round trip covers it.
        gen.Sample(t =>
        {
            var (a, b, c, d) = t;
            n++;
            sent.Add(new Event
            {
                MessageId = $"{n:D4} {a}",
                Name = b.Length == 0 ? null : b,
                Timestamp = T0.AddSeconds(n),
                ReceivedAt = T0,
                AnonymousId = c.Length == 0 ? null : c,
                Campaign = d.Length == 0 ? null : d,
                Properties = a + b,
            });
        }, iter: 400, threads: 1);

        await store.AppendAsync(sent);

        var stored = await ReadAllAsync(store);
        var expected = sent.Select(e => e with { Properties = e.Properties!.Length == 0 ? null : e.Properties }).OrderBy(e => e.MessageId, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, stored.Count);
        var byId = stored.ToDictionary(e => e.MessageId, StringComparer.Ordinal);
        foreach (var e in expected)
        {
            Assert.Equal(e, byId[e.MessageId]);
        }
    }

    [Fact]
    public async Task Literal_OfRandomText_ReadsBackFromTheServer()
    {
        var store = await databases.NewStoreAsync();
        var samples = new List<string>();
        TsvEscapingTests.Text.Sample(samples.Add, iter: 300, threads: 1);

        // Many literals in one query, as an array: one request checks them all.
        var result = await store.SelectAsync(store.Main, $"SELECT [{ClickHouseSql.Literals(samples)}] AS texts", CancellationToken.None);

        Assert.Equal(samples.Cast<object?>().ToArray(), (object?[])result.Rows[0][0]!);
    }

    [Fact]
    public async Task NullAndEmpty_AreStoredAsNull()
    {
        var store = await databases.NewStoreAsync();

        await store.AppendAsync([Track("e") with { Name = string.Empty, UserId = string.Empty, Properties = string.Empty, Campaign = null }]);

        var row = Assert.Single((await store.QueryAsync("select event, user_id, properties, campaign, anonymous_id from events")).Rows);
        Assert.Equal(new object?[] { null, null, null, null, "a-1" }, row);
    }

    private static readonly DateTime[] Times =
    [
        new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(2025, 3, 1, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
        new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc).AddTicks(10),
        new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
        new DateTime(1900, 6, 15, 8, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560),
        new DateTime(2105, 12, 31, 23, 59, 59, DateTimeKind.Utc),
        new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
    ];

    [Fact]
    public async Task Timestamps_RoundTripToTheMicrosecond_AndTheDateTimeColumnIsTheClampedSecond()
    {
        var store = await databases.NewStoreAsync();
        var times = Times;
        await store.AppendAsync(times.Select((t, i) => Track($"t{i}") with { Timestamp = t, ReceivedAt = t }).ToList());

        var stored = await ReadAllAsync(store);
        var seconds = (await store.QueryAsync("select message_id, timestamp, received_at from events order by message_id")).Rows;

        for (var i = 0; i < times.Length; i++)
        {
            Assert.Equal(times[i].Ticks, stored[i].Timestamp.Ticks);
            Assert.Equal(times[i].Ticks, stored[i].ReceivedAt.Ticks);
            var clamped = times[i] < DateTime.UnixEpoch ? DateTime.UnixEpoch
                : times[i] > new DateTime(2105, 12, 31, 23, 59, 59, DateTimeKind.Utc) ? new DateTime(2105, 12, 31, 23, 59, 59, DateTimeKind.Utc)
                : new DateTime(times[i].Ticks - (times[i].Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            Assert.Equal(clamped, seconds[i][1]);
            Assert.Equal(clamped, seconds[i][2]);
        }
    }

    [Fact]
    public async Task Revenue_RoundTripsToTheSameDouble()
    {
        var store = await databases.NewStoreAsync();
        double[] values = [0.0, -0.01, 0.1, 19.99, -1234567.891, 1e-7, 123456789012.345, double.Epsilon, double.MaxValue, -double.MaxValue, 0.30000000000000004];
        await store.AppendAsync(values.Select((v, i) => Track($"r{i:D2}") with { Revenue = v }).ToList());

        var rows = (await store.QueryAsync("select revenue from events order by message_id")).Rows;

        Assert.Equal(values, rows.Select(r => (double)r[0]!));
    }

    [Fact]
    public async Task EveryEventType_IsStoredAsItsLowerCaseName()
    {
        var store = await databases.NewStoreAsync();
        var events = Enum.GetValues<EventType>().Select(t => Track(t.ToString()) with { Type = t }).ToList();

        await store.AppendAsync(events);

        var rows = await store.QueryAsync("select message_id, type from events order by message_id");
        Assert.Equal(events.Count, rows.Rows.Count);
        Assert.All(rows.Rows, r => Assert.Equal(Enum.Parse<EventType>((string)r[0]!).Name(), r[1]));
    }

    [Fact]
    public async Task Writer_ManyBatchesBeyondOneChunk_StoresEachOnce()
    {
        var store = await databases.NewStoreAsync();
        store.WriterChunkRows = 1_000;
        const int total = 4_321;
        var events = Enumerable.Range(0, total).Select(i => Track($"w{i:D7}", anonymousId: $"d{i % 97}", minutes: i % 5000)).ToList();

        AppendResult result;
        using (var writer = store.OpenWriter())
        {
            foreach (var batch in events.Chunk(700))
            {
                writer.Write(batch);
            }

            // Re-sent: 10 from the first chunk (caught by the anti-join), 1 twice in this batch (caught in the chunk).
            writer.Write([.. events.Take(10), Track("late"), Track("late")]);
            result = await writer.CommitAsync();
        }

        Assert.Equal(new AppendResult(total + 1, 11), result);
        var count = (await store.QueryAsync("select count(*) as n, uniqExact(message_id) as u from events")).Rows[0];
        Assert.Equal(new object[] { total + 1L, total + 1L }, count);
    }

    [Fact]
    public async Task Writer_DisposedWithoutCommit_StoresNothing()
    {
        var store = await databases.NewStoreAsync();

        using (var writer = store.OpenWriter())
        {
            writer.Write([Track("x1"), Track("x2")]);
        }

        Assert.Equal(0L, (await store.QueryAsync("select count() from events")).Rows[0][0]);
    }
}
