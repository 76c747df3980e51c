using System.Text.Json.Nodes;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb.Tests;

public sealed class DuckDbEventStoreRoundTripTests
{
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
        Campaign = "spring \"sale\"",
        Content = "tab\there",
        Term = "line\nbreak\r\nand more",
        Referrer = "https://www.google.com/search?q=a,b;c",
        Revenue = 19.99,
        Currency = "EUR",
        Properties = """{"plan":"pro","seats":3,"nested":{"list":[1,2.5,null,true]},"text":"ünïcödé 🥨 \"q\" \t"}""",
    };

    [Fact]
    public async Task AppendAsync_EveryField_RoundTripsExactly()
    {
        using var store = DuckDbEventStore.Open(":memory:");

        await store.AppendAsync([Full]);

        var stored = Assert.Single(await ReadAll(store));
        Assert.Equal(Full with { Properties = null }, stored with { Properties = null });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Full.Properties!), JsonNode.Parse(stored.Properties!)), stored.Properties);
    }

    [Fact]
    public async Task AppendAsync_NullFields_StayNullAndValuesStayValues()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        var sparse = new Event
        {
            MessageId = "sparse",
            Type = EventType.Page,
            Timestamp = TestEvents.T0,
            ReceivedAt = TestEvents.T0,
            AnonymousId = "a",
        };

        await store.AppendAsync([sparse, Full]);

        var rows = await store.QueryAsync("select * from events order by message_id");
        var sparseRow = rows.Rows.Single(r => (string)r[0]! == "sparse");
        var fullRow = rows.Rows.Single(r => (string)r[0]! == "full");
        for (var i = 0; i < rows.Columns.Count; i++)
        {
            var column = rows.Columns[i];
            var expectNull = column is not (EventColumn.MessageId or EventColumn.Type or EventColumn.Timestamp or EventColumn.ReceivedAt or EventColumn.AnonymousId);
            Assert.True(expectNull == sparseRow[i] is null, $"sparse.{column} = {sparseRow[i] ?? "null"}");
            Assert.True(fullRow[i] is not null, $"full.{column} is null");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.01)]
    [InlineData(0.1)]
    [InlineData(19.99)]
    [InlineData(-1234567.891)]
    [InlineData(1e-7)]
    [InlineData(123456789012.345)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    public async Task AppendAsync_Revenue_RoundTripsToTheSameDouble(double revenue)
    {
        using var store = DuckDbEventStore.Open(":memory:");

        await store.AppendAsync([TestEvents.Track("r") with { Revenue = revenue }]);

        var row = Assert.Single((await store.QueryAsync("select revenue from events")).Rows);
        Assert.Equal(revenue, (double)row[0]!);
    }

    public static TheoryData<DateTime> Times() => new()
    {
        new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(2025, 3, 1, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
        new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc).AddTicks(10),
        new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
        new DateTime(1900, 6, 15, 8, 30, 0, DateTimeKind.Utc).AddTicks(1_234_560),
        new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
    };

    [Theory]
    [MemberData(nameof(Times))]
    public async Task AppendAsync_Timestamp_RoundTripsToTheMicrosecond(DateTime time)
    {
        using var store = DuckDbEventStore.Open(":memory:");

        await store.AppendAsync([TestEvents.Track("t") with { Timestamp = time, ReceivedAt = time }]);

        var stored = Assert.Single(await ReadAll(store));
        Assert.Equal(time.Ticks, stored.Timestamp.Ticks);
        Assert.Equal(time.Ticks, stored.ReceivedAt.Ticks);
    }

    [Fact]
    public async Task AppendAsync_EveryEventType_RoundTripsAsItsLowerCaseName()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        var events = Enum.GetValues<EventType>().Select(t => TestEvents.Track(t.ToString()) with { Type = t }).ToList();

        await store.AppendAsync(events);

        var rows = await store.QueryAsync("select message_id, type from events order by message_id");
        Assert.All(rows.Rows, r => Assert.Equal(Enum.Parse<EventType>((string)r[0]!).Name(), r[1]));
        Assert.Equal(events.Count, rows.Rows.Count);
    }

    [Fact]
    public async Task AppendAsync_ManyEvents_RoundTripInBulk()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        var events = Enumerable.Range(0, 20_000).Select(i => new Event
        {
            MessageId = $"bulk-{i:D6}",
            Type = (EventType)(i % 6),
            Name = i % 3 == 0 ? null : $"e{i % 7}",
            Timestamp = TestEvents.T0.AddTicks(i * 10L * 1_000_003),
            ReceivedAt = TestEvents.T0,
            AnonymousId = i % 2 == 0 ? $"a{i % 101}" : null,
            UserId = i % 2 == 1 ? $"u{i % 53}" : null,
            Revenue = i % 5 == 0 ? i / 100.0 : null,
            Properties = i % 4 == 0 ? $$"""{"i":{{i}},"s":"x\ty"}""" : null,
        }).ToList();

        await store.AppendAsync(events);

        var stored = await ReadAll(store);
        Assert.Equal(events.Count, stored.Count);
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(events[i] with { Properties = null }, stored[i] with { Properties = null });
            Assert.Equal(events[i].Properties is null, stored[i].Properties is null);
        }
    }

    private static async Task<List<Event>> ReadAll(IEventStore store)
    {
        var result = await store.QueryAsync("select * from events order by message_id");
        Assert.Equal(EventColumn.All, result.Columns);
        return result.Rows.Select(r =>
        {
            string? S(string column) => (string?)r[IndexOf(result, column)];
            Assert.True(EventTypes.TryParse(S(EventColumn.Type), out var type));
            return new Event
            {
                MessageId = S(EventColumn.MessageId)!,
                Type = type.Value,
                Name = S(EventColumn.Event),
                Timestamp = (DateTime)r[IndexOf(result, EventColumn.Timestamp)]!,
                ReceivedAt = (DateTime)r[IndexOf(result, EventColumn.ReceivedAt)]!,
                AnonymousId = S(EventColumn.AnonymousId),
                UserId = S(EventColumn.UserId),
                PreviousId = S(EventColumn.PreviousId),
                GroupId = S(EventColumn.GroupId),
                Channel = S(EventColumn.Channel),
                Source = S(EventColumn.Source),
                Medium = S(EventColumn.Medium),
                Campaign = S(EventColumn.Campaign),
                Content = S(EventColumn.Content),
                Term = S(EventColumn.Term),
                Referrer = S(EventColumn.Referrer),
                Revenue = (double?)r[IndexOf(result, EventColumn.Revenue)],
                Currency = S(EventColumn.Currency),
                Properties = S(EventColumn.Properties),
            };
        }).ToList();
    }

    private static int IndexOf(QueryResult result, string column) => result.Columns.ToList().IndexOf(column);
}
