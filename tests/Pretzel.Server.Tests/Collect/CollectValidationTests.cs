using System.Net;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Per-message validation: what is refused, with which code, index and field; mixed batches keep the valid messages.</summary>
public sealed class CollectValidationTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private HttpClient Writer() => server.ClientWithKey(server.Shop.WriteKey);

    private async Task<JsonElement> RefusedSingle(string path, object message, string code, string field)
    {
        using var client = Writer();
        var body = await (await client.PostObject(path, message)).ExpectError(HttpStatusCode.BadRequest, code);
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("index").ValueKind);
        return body;
    }

    [Fact]
    public async Task Track_needs_an_event_name()
    {
        await RefusedSingle("/v1/track", new { anonymousId = NewId("a") }, "missing_field", "event");
        await RefusedSingle("/v1/track", new { anonymousId = NewId("a"), @event = "   " }, "missing_field", "event");
    }

    [Fact]
    public async Task Every_message_needs_a_user_id_or_an_anonymous_id()
    {
        using var client = Writer();
        var body = await (await client.PostObject("/v1/page", new { name = "Home" })).ExpectError(HttpStatusCode.BadRequest, "missing_field");
        var field = body.GetProperty("errors")[0].GetProperty("field").GetString();
        Assert.Contains(field, new[] { "userId", "anonymousId" });
    }

    [Fact]
    public async Task Alias_needs_previous_id_and_user_id()
    {
        await RefusedSingle("/v1/alias", new { userId = NewId("u") }, "missing_field", "previousId");
        await RefusedSingle("/v1/alias", new { anonymousId = NewId("a"), previousId = NewId("p") }, "missing_field", "userId");
    }

    [Fact]
    public async Task Group_needs_a_group_id()
    {
        await RefusedSingle("/v1/group", new { userId = NewId("u"), traits = new { name = "Acme" } }, "missing_field", "groupId");
    }

    [Fact]
    public async Task A_batch_message_needs_a_type()
    {
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new { batch = new[] { new { @event = "x", anonymousId = NewId("a") } } }))
            .ExpectError(HttpStatusCode.BadRequest, "missing_field");
        var error = body.GetProperty("errors")[0];
        Assert.Equal("type", error.GetProperty("field").GetString());
        Assert.Equal(0, error.GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task An_unknown_type_is_refused()
    {
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new { batch = new[] { new { type = "purchase", anonymousId = NewId("a") } } }))
            .ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal("type", body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-02-30")]
    [InlineData("1989-12-31T23:59:59Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    public async Task Unparseable_or_too_old_timestamps_are_invalid_timestamp(string timestamp)
    {
        await RefusedSingle("/v1/track", new { @event = "x", anonymousId = NewId("a"), timestamp }, "invalid_timestamp", "timestamp");
    }

    [Fact]
    public async Task A_timestamp_more_than_a_day_ahead_is_invalid()
    {
        await RefusedSingle("/v1/track", new { @event = "x", anonymousId = NewId("a"), timestamp = Iso(DateTime.UtcNow.AddDays(2)) }, "invalid_timestamp", "timestamp");
    }

    [Fact]
    public async Task A_timestamp_hours_ahead_is_accepted()
    {
        var anon = NewId("a");
        using var client = Writer();
        await (await client.PostObject("/v1/track", new { @event = "x", anonymousId = anon, timestamp = Iso(DateTime.UtcNow.AddHours(20)) })).Expect(HttpStatusCode.OK);
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    [Fact]
    public async Task A_timestamp_still_ahead_after_clock_skew_correction_is_invalid()
    {
        var now = DateTime.UtcNow;
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new
        {
            sentAt = Iso(now),
            batch = new[] { new { type = "track", @event = "x", anonymousId = NewId("a"), timestamp = Iso(now.AddDays(3)) } },
        })).ExpectError(HttpStatusCode.BadRequest, "invalid_timestamp");
        Assert.Equal(0, body.GetProperty("errors")[0].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task An_unparseable_batch_sentAt_is_400_invalid_timestamp()
    {
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new
        {
            sentAt = "not a time",
            batch = new[] { new { type = "track", @event = "x", anonymousId = NewId("a") } },
        })).ExpectError(HttpStatusCode.BadRequest, "invalid_timestamp");
        Assert.Equal("sentAt", body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unparseable_message_sentAt_is_invalid_timestamp()
    {
        await RefusedSingle("/v1/track", new { @event = "x", anonymousId = NewId("a"), timestamp = Iso(DateTime.UtcNow), sentAt = 17 }, "invalid_timestamp", "sentAt");
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z")]
    [InlineData("9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z")]
    [InlineData("2025-01-01T00:00:00Z", "9999-12-31T23:59:59Z")]
    public async Task Absurd_sentAt_and_timestamp_pairs_are_invalid_timestamp_not_a_crash(string sentAt, string timestamp)
    {
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new
        {
            sentAt,
            batch = new[] { new { type = "track", @event = "x", anonymousId = NewId("a"), timestamp } },
        })).ExpectError(HttpStatusCode.BadRequest, "invalid_timestamp");
        Assert.Equal(0, body.GetProperty("errors")[0].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task A_user_id_in_the_reserved_anon_namespace_is_refused()
    {
        await RefusedSingle("/v1/identify", new { userId = "anon:someone" }, "invalid_value", "userId");
    }

    [Fact]
    public async Task Properties_that_are_not_an_object_are_refused()
    {
        await RefusedSingle("/v1/track", new { @event = "x", anonymousId = NewId("a"), properties = new[] { 1, 2 } }, "invalid_value", "properties");
    }

    [Fact]
    public async Task Mixed_batch_keeps_the_valid_messages_and_names_the_bad_ones()
    {
        var anon = NewId("anon");
        var t = Iso(DateTime.UtcNow.AddMinutes(-1));
        var batch = new object[]
        {
            new { type = "track", @event = "Good 0", anonymousId = anon, timestamp = t, messageId = NewId("m") },
            new { type = "track", anonymousId = anon, timestamp = t },                       // 1: no event
            new { type = "page", anonymousId = anon, timestamp = t, messageId = NewId("m") },
            new { type = "group", anonymousId = anon, timestamp = t },                       // 3: no groupId
            new { type = "track", @event = "no one", timestamp = t },                          // 4: no ids
            "not an object",                                                                     // 5
            new { type = "track", @event = "Good 6", anonymousId = anon, timestamp = "garbage" }, // 6: bad time
            new { type = "alias", anonymousId = anon, userId = NewId("u"), timestamp = t },  // 7: no previousId
            new { type = "identify", anonymousId = anon, userId = NewId("u"), timestamp = t, messageId = NewId("m") },
        };
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new { batch })).Expect(HttpStatusCode.OK);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        Assert.Equal(6, body.GetProperty("rejected").GetInt32());
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([1, 3, 4, 5, 6, 7], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal(["event", "groupId", null, "timestamp", "previousId"], errors.Where(e => e.GetProperty("index").GetInt32() != 4)
            .Select(e => e.GetProperty("field").GetString()));
        Assert.Equal("invalid_json", errors[3].GetProperty("code").GetString());
        Assert.Equal("invalid_timestamp", errors[4].GetProperty("code").GetString());

        var rows = await server.EventsOf(server.Shop.ReadKey, anon);
        Assert.Equal(["identify", "page", "track"], rows.Select(r => r.Str("type")).Order());
    }

    [Fact]
    public async Task All_invalid_batch_is_400_with_every_index()
    {
        var anon = NewId("anon");
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new
        {
            batch = new object[] { new { type = "track", anonymousId = anon }, new { type = "group", anonymousId = anon }, 42 },
        })).ExpectError(HttpStatusCode.BadRequest, "missing_field");
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Equal(3, body.GetProperty("rejected").GetInt32());
        Assert.Equal([0, 1, 2], body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("index").GetInt32()));
        Assert.Empty(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    [Fact]
    public async Task A_batch_body_without_a_batch_array_is_400()
    {
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new { messages = Array.Empty<object>() })).ExpectError(HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal("batch", body.GetProperty("errors")[0].GetProperty("field").GetString());
        await (await client.PostJson("/v1/batch", """{"batch": {"type": "track"}}""")).ExpectError(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task An_empty_batch_is_accepted_with_nothing_stored()
    {
        using var client = Writer();
        var body = await (await client.PostJson("/v1/batch", """{"batch": []}""")).Expect(HttpStatusCode.OK);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"track","event":"\ud800","anonymousId":"ANON"}""")]
    [InlineData("""{"type":"track","event":"x","anonymousId":"ANON","properties":{"k":"\udc00"}}""")]
    [InlineData("""{"type":"track","event":"x","anonymousId":"ANON","properties":{"\ud800":1}}""")]
    [InlineData("""{"type":"track","event":"x","anonymousId":"ANON","\ud800":"v"}""")]
    [InlineData("""{"type":"track","event":"x","anonymousId":"ANON","context":{"userAgent":"\ud800"}}""")]
    [InlineData("""{"type":"track","event":"x","anonymousId":"ANON","context":{"campaign":{"source":"\ud800"}}}""")]
    [InlineData("""{"type":"track","event":"x","anonymousId":"ANON","traits":{"a":"\u0000"}, "properties":{"b":"\u0000"}}""")]
    [InlineData("""{"type":"track","event":"x\u0000y","anonymousId":"ANON"}""")]
    public async Task Lone_surrogates_and_NULs_are_refused_per_message(string message)
    {
        var anon = NewId("anon");
        var good = NewId("good");
        var json = $$"""{"batch":[{{message.Replace("ANON", anon, StringComparison.Ordinal)}}, {"type":"track","event":"ok","anonymousId":"{{good}}"}]}""";
        using var client = Writer();
        var body = await (await client.PostJson("/v1/batch", json)).Expect(HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Equal(0, body.GetProperty("errors")[0].GetProperty("index").GetInt32());
        Assert.Empty(await server.EventsOf(server.Shop.ReadKey, anon));
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, good));
    }
}
