using System.Net;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Each collector endpoint stores what a Segment client sends, in the columns the spec names.</summary>
public sealed class CollectEndpointTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private string ReadKey => server.Shop.ReadKey;

    private HttpClient Writer() => server.ClientWithKey(server.Shop.WriteKey);

    [Theory]
    [InlineData("/v1/track", "track")]
    [InlineData("/v1/t", "track")]
    [InlineData("/v1/page", "page")]
    [InlineData("/v1/p", "page")]
    [InlineData("/v1/screen", "screen")]
    [InlineData("/v1/s", "screen")]
    [InlineData("/v1/identify", "identify")]
    [InlineData("/v1/i", "identify")]
    [InlineData("/v1/alias", "alias")]
    [InlineData("/v1/a", "alias")]
    [InlineData("/v1/group", "group")]
    [InlineData("/v1/g", "group")]
    public async Task Every_single_message_endpoint_stores_its_type(string path, string type)
    {
        var anon = NewId("anon");
        var messageId = NewId("m");
        var body = new Dictionary<string, object>
        {
            ["messageId"] = messageId,
            ["anonymousId"] = anon,
            ["event"] = "Clicked",
            ["userId"] = NewId("user"),
            ["previousId"] = NewId("prev"),
            ["groupId"] = "acme",
            ["timestamp"] = Iso(DateTime.UtcNow.AddMinutes(-1)),
        };
        using var client = Writer();
        var reply = await (await client.PostObject(path, body)).Expect(HttpStatusCode.OK);
        Assert.True(reply.GetProperty("success").GetBoolean());
        Assert.Equal(1, reply.GetProperty("accepted").GetInt32());
        Assert.Equal(0, reply.GetProperty("rejected").GetInt32());

        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal(messageId, row.Str("message_id"));
        Assert.Equal(type, row.Str("type"));
    }

    [Theory]
    [InlineData("/v1/batch")]
    [InlineData("/v1/b")]
    public async Task Batch_endpoints_store_every_type(string path)
    {
        var anon = NewId("anon");
        var t = DateTime.UtcNow.AddMinutes(-10);
        var batch = new object[]
        {
            new { type = "track", @event = "Signed Up", anonymousId = anon, timestamp = Iso(t) },
            new { type = "page", name = "Home", anonymousId = anon, timestamp = Iso(t.AddSeconds(1)) },
            new { type = "screen", name = "Main", anonymousId = anon, timestamp = Iso(t.AddSeconds(2)) },
            new { type = "identify", anonymousId = anon, userId = NewId("u"), timestamp = Iso(t.AddSeconds(3)) },
            new { type = "group", anonymousId = anon, groupId = "g1", timestamp = Iso(t.AddSeconds(4)) },
            new { type = "alias", anonymousId = anon, previousId = NewId("p"), userId = NewId("u"), timestamp = Iso(t.AddSeconds(5)) },
        };
        using var client = Writer();
        var reply = await (await client.PostObject(path, new { batch })).Expect(HttpStatusCode.OK);
        Assert.Equal(6, reply.GetProperty("accepted").GetInt32());

        var rows = await server.EventsOf(ReadKey, anon);
        Assert.Equal(["track", "page", "screen", "identify", "group", "alias"], rows.Select(r => r.Str("type")));
        Assert.Equal("Signed Up", rows[0].Str("event"));
        Assert.Equal("g1", rows[4].Str("group_id"));
    }

    [Fact]
    public async Task Segment_fields_land_in_their_columns()
    {
        var anon = NewId("anon");
        var messageId = NewId("m");
        var json = $$"""
            {
              "type": "track",
              "event": "Order Completed",
              "messageId": "{{messageId}}",
              "anonymousId": "{{anon}}",
              "timestamp": "{{Iso(DateTime.UtcNow.AddMinutes(-5))}}",
              "properties": { "revenue": 42.5, "currency": "eur", "sku": "A-1", "nested": { "n": 1 } },
              "context": {
                "campaign": { "source": "google", "medium": "cpc", "name": "brand", "content": "ad-1", "term": "pretzel" },
                "page": { "url": "https://shop.example/p?x=1", "referrer": "https://www.google.com/" },
                "userAgent": "Mozilla/5.0 (TestBrowser)",
                "ip": "203.0.113.7"
              },
              "integrations": { "All": true }
            }
            """;
        using var client = Writer();
        await (await client.PostJson("/v1/track", json)).Expect(HttpStatusCode.OK);

        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal(messageId, row.Str("message_id"));
        Assert.Equal("Order Completed", row.Str("event"));
        Assert.Equal("google", row.Str("source"));
        Assert.Equal("cpc", row.Str("medium"));
        Assert.Equal("brand", row.Str("campaign"));
        Assert.Equal("ad-1", row.Str("content"));
        Assert.Equal("pretzel", row.Str("term"));
        Assert.Equal("paid_search", row.Str("channel"));
        Assert.Equal("https://www.google.com/", row.Str("referrer"));
        Assert.Equal(42.5, row.GetProperty("revenue").GetDouble());
        Assert.Equal("EUR", row.Str("currency"));
        var props = Properties(row);
        Assert.Equal("A-1", props.GetProperty("sku").GetString());
        Assert.Equal(1, props.GetProperty("nested").GetProperty("n").GetInt32());
        Assert.Equal("Mozilla/5.0 (TestBrowser)", props.GetProperty("user_agent").GetString());
        Assert.Equal("203.0.113.7", props.GetProperty("ip").GetString());
        Assert.Equal("https://shop.example/p?x=1", props.GetProperty("url").GetString());
        Assert.False(props.TryGetProperty("integrations", out _), "delivery envelope keys must not become properties");
    }

    [Fact]
    public async Task Channel_comes_from_the_referrer_when_there_is_no_campaign()
    {
        var organic = NewId("anon");
        var direct = NewId("anon");
        using var client = Writer();
        await (await client.PostObject("/v1/page", new
        {
            anonymousId = organic,
            context = new { page = new { url = "https://shop.example/", referrer = "https://www.google.com/search?q=x" } },
        })).Expect(HttpStatusCode.OK);
        await (await client.PostObject("/v1/page", new { anonymousId = direct, context = new { page = new { url = "https://shop.example/" } } })).Expect(HttpStatusCode.OK);
        Assert.Equal("organic_search", Assert.Single(await server.EventsOf(ReadKey, organic)).Str("channel"));
        Assert.Equal("direct", Assert.Single(await server.EventsOf(ReadKey, direct)).Str("channel"));
    }

    [Fact]
    public async Task Identify_traits_become_properties()
    {
        var anon = NewId("anon");
        var user = NewId("user");
        using var client = Writer();
        await (await client.PostObject("/v1/identify", new { anonymousId = anon, userId = user, traits = new { email = "a@example.com", plan = "pro" } }))
            .Expect(HttpStatusCode.OK);
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal("identify", row.Str("type"));
        Assert.Equal(user, row.Str("user_id"));
        var props = Properties(row);
        Assert.Equal("a@example.com", props.GetProperty("email").GetString());
        Assert.Equal("pro", props.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task Write_key_in_the_body_is_accepted_as_text_plain()
    {
        var anon = NewId("anon");
        var json = JsonSerializer.Serialize(new
        {
            writeKey = server.Shop.WriteKey,
            sentAt = Iso(DateTime.UtcNow),
            batch = new[] { new { type = "page", anonymousId = anon, properties = new { title = "Home" }, timestamp = Iso(DateTime.UtcNow) } },
        });
        using var client = server.CreateClient(); // no Authorization header
        var reply = await (await client.PostJson("/v1/batch", json, "text/plain")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, reply.GetProperty("accepted").GetInt32());
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal("page", row.Str("type"));
        Assert.False(Properties(row).TryGetProperty("writeKey", out _), "the write key must not be stored");
    }

    [Fact]
    public async Task Write_key_in_the_body_of_a_single_event_endpoint()
    {
        var anon = NewId("anon");
        using var client = server.CreateClient();
        var json = JsonSerializer.Serialize(new { writeKey = server.Shop.WriteKey, @event = "X", anonymousId = anon });
        await (await client.PostJson("/v1/t", json, "text/plain")).Expect(HttpStatusCode.OK);
        Assert.Single(await server.EventsOf(ReadKey, anon));
    }

    [Fact]
    public async Task Without_a_timestamp_the_event_happened_when_received()
    {
        var anon = NewId("anon");
        var before = DateTime.UtcNow.AddSeconds(-1);
        using var client = Writer();
        await (await client.PostObject("/v1/track", new { @event = "Now", anonymousId = anon })).Expect(HttpStatusCode.OK);
        var after = DateTime.UtcNow.AddSeconds(1);
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        var ts = row.Time("timestamp");
        Assert.InRange(ts, before, after);
        Assert.Equal(row.Time("received_at"), ts);
    }

    [Fact]
    public async Task Without_sentAt_the_timestamp_is_kept_as_sent()
    {
        var anon = NewId("anon");
        var t = new DateTime(2024, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc);
        using var client = Writer();
        await (await client.PostObject("/v1/track", new { @event = "Old", anonymousId = anon, timestamp = "2024-05-06T09:08:09.123+02:00" })).Expect(HttpStatusCode.OK);
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal(t, row.Time("timestamp"));
    }

    [Theory]
    [InlineData(1)] // client clock one hour ahead
    [InlineData(-1)] // client clock one hour behind
    public async Task Clock_skew_is_corrected_with_batch_sentAt(int hoursOff)
    {
        var anon = NewId("anon");
        var clientNow = DateTime.UtcNow.AddHours(hoursOff);
        var age = TimeSpan.FromMinutes(3);
        var body = new
        {
            sentAt = Iso(clientNow),
            batch = new[] { new { type = "track", @event = "Skewed", anonymousId = anon, timestamp = Iso(clientNow - age) } },
        };
        using var client = Writer();
        var before = DateTime.UtcNow;
        await (await client.PostObject("/v1/batch", body)).Expect(HttpStatusCode.OK);
        var after = DateTime.UtcNow;
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        var ts = row.Time("timestamp");
        Assert.InRange(ts, before - age - TimeSpan.FromSeconds(2), after - age + TimeSpan.FromSeconds(2));
        // received_at - timestamp is exactly the message's age on the client.
        Assert.Equal(age, row.Time("received_at") - ts);
    }

    [Fact]
    public async Task Clock_skew_is_corrected_with_message_sentAt_on_a_single_event()
    {
        var anon = NewId("anon");
        var clientNow = DateTime.UtcNow.AddHours(1);
        var age = TimeSpan.FromSeconds(30);
        using var client = Writer();
        await (await client.PostObject("/v1/track", new { @event = "Skewed", anonymousId = anon, timestamp = Iso(clientNow - age), sentAt = Iso(clientNow) }))
            .Expect(HttpStatusCode.OK);
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal(age, row.Time("received_at") - row.Time("timestamp"));
        Assert.InRange(row.Time("timestamp"), DateTime.UtcNow - age - TimeSpan.FromSeconds(10), DateTime.UtcNow);
    }

    [Fact]
    public async Task A_client_clock_two_days_ahead_is_accepted_with_sentAt()
    {
        // Before correction the timestamp lies 2 days in the future; after it, 1 minute in the past.
        var anon = NewId("anon");
        var clientNow = DateTime.UtcNow.AddDays(2);
        using var client = Writer();
        await (await client.PostObject("/v1/batch", new
        {
            sentAt = Iso(clientNow),
            batch = new[] { new { type = "track", @event = "Future client", anonymousId = anon, timestamp = Iso(clientNow.AddMinutes(-1)) } },
        })).Expect(HttpStatusCode.OK);
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.True(row.Time("timestamp") < DateTime.UtcNow);
    }

    [Fact]
    public async Task Revenue_and_currency_columns_and_unicode_properties_round_trip()
    {
        var anon = NewId("anon");
        using var client = Writer();
        await (await client.PostObject("/v1/track", new
        {
            @event = "Bestellung",
            anonymousId = anon,
            properties = new { revenue = "19.90", currency = "CHF", title = "Brezel 🥨 \"süß\"\nzweite Zeile" },
        })).Expect(HttpStatusCode.OK);
        var row = Assert.Single(await server.EventsOf(ReadKey, anon));
        Assert.Equal(19.90, row.GetProperty("revenue").GetDouble());
        Assert.Equal("CHF", row.Str("currency"));
        Assert.Equal("Brezel 🥨 \"süß\"\nzweite Zeile", Properties(row).GetProperty("title").GetString());
    }
}
