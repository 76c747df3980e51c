using System.Net;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Re-sent messages are stored once: by messageId, or by an id derived from the request's content.</summary>
public sealed class CollectDedupTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private HttpClient Writer() => server.ClientWithKey(server.Shop.WriteKey);

    private Task<long> CountOf(string anon) =>
        server.Count(server.Shop.ReadKey, $"select count(*) as n from events where anonymous_id = '{anon}'");

    [Fact]
    public async Task The_same_batch_sent_twice_is_stored_once()
    {
        var anon = NewId("dup");
        var body = JsonSerializer.Serialize(new
        {
            sentAt = Iso(DateTime.UtcNow),
            batch = Enumerable.Range(0, 5).Select(i => new { type = "track", @event = "E" + i, anonymousId = anon, messageId = anon + "-" + i, timestamp = Iso(DateTime.UtcNow) }),
        });
        using var client = Writer();
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal(5, await CountOf(anon));
        // Again, once the first copy is in the store, and then twice at once.
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await Task.WhenAll((await Task.WhenAll(client.PostJson("/v1/batch", body), client.PostJson("/v1/batch", body))).Select(r => r.Expect(HttpStatusCode.OK)));
        await server.Flush();
        Assert.Equal(5, await CountOf(anon));
    }

    [Fact]
    public async Task A_message_id_repeated_within_one_batch_is_stored_once()
    {
        var anon = NewId("dup");
        var id = NewId("m");
        using var client = Writer();
        await (await client.PostObject("/v1/batch", new
        {
            batch = new[]
            {
                new { type = "track", @event = "First", anonymousId = anon, messageId = id },
                new { type = "track", @event = "Second", anonymousId = anon, messageId = id },
            },
        })).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal(1, await CountOf(anon));
    }

    [Fact]
    public async Task The_same_message_id_on_single_endpoints_is_stored_once()
    {
        var anon = NewId("dup");
        var id = NewId("m");
        using var client = Writer();
        for (var i = 0; i < 3; i++)
        {
            await (await client.PostObject("/v1/track", new { @event = "Retry", anonymousId = anon, messageId = id })).Expect(HttpStatusCode.OK);
        }

        await server.Flush();
        Assert.Equal(1, await CountOf(anon));
    }

    [Fact]
    public async Task Without_message_ids_an_identical_request_sent_again_is_stored_once()
    {
        var anon = NewId("noid");
        var body = JsonSerializer.Serialize(new
        {
            batch = new object[]
            {
                new { type = "track", @event = "A", anonymousId = anon, timestamp = Iso(DateTime.UtcNow.AddMinutes(-2)) },
                new { type = "page", anonymousId = anon, timestamp = Iso(DateTime.UtcNow.AddMinutes(-1)) },
            },
        });
        using var client = Writer();
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal(2, await CountOf(anon));
        var ids = (await server.Sql(server.Shop.ReadKey, $"select message_id from events where anonymous_id = '{anon}'")).Select(r => r.Str("message_id")).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task Without_message_ids_a_retried_request_with_sentAt_is_stored_once()
    {
        // The stored timestamp depends on when the request arrives (clock-skew correction), so the derived id
        // must not: a retry of the same request a moment later is the same events.
        var anon = NewId("retry");
        var clientNow = DateTime.UtcNow.AddHours(1);
        var body = JsonSerializer.Serialize(new
        {
            sentAt = Iso(clientNow),
            batch = new[] { new { type = "track", @event = "Retried", anonymousId = anon, timestamp = Iso(clientNow.AddSeconds(-5)) } },
        });
        using var client = Writer();
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await Task.Delay(30);
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal(1, await CountOf(anon));
    }

    [Fact]
    public async Task Without_message_ids_or_timestamps_an_identical_single_request_is_stored_once()
    {
        var anon = NewId("bare");
        var json = JsonSerializer.Serialize(new { @event = "Bare", anonymousId = anon });
        using var client = Writer();
        await (await client.PostJson("/v1/track", json)).Expect(HttpStatusCode.OK);
        await Task.Delay(30);
        await (await client.PostJson("/v1/track", json)).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal(1, await CountOf(anon));
    }

    [Fact]
    public async Task Without_message_ids_two_identical_messages_in_one_request_are_two_events()
    {
        var anon = NewId("twice");
        var t = Iso(DateTime.UtcNow.AddMinutes(-1));
        var body = JsonSerializer.Serialize(new
        {
            batch = new[]
            {
                new { type = "track", @event = "Click", anonymousId = anon, timestamp = t },
                new { type = "track", @event = "Click", anonymousId = anon, timestamp = t },
            },
        });
        using var client = Writer();
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await (await client.PostJson("/v1/batch", body)).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal(2, await CountOf(anon));
    }

    [Fact]
    public async Task Same_content_on_different_endpoints_or_with_different_sentAt_is_not_merged()
    {
        var anon = NewId("distinct");
        var json = JsonSerializer.Serialize(new { name = "Home", anonymousId = anon, timestamp = Iso(DateTime.UtcNow.AddMinutes(-1)) });
        using var client = Writer();
        await (await client.PostJson("/v1/page", json)).Expect(HttpStatusCode.OK);
        await (await client.PostJson("/v1/screen", json)).Expect(HttpStatusCode.OK);
        var t = Iso(DateTime.UtcNow.AddMinutes(-1));
        foreach (var sentAt in new[] { Iso(DateTime.UtcNow), Iso(DateTime.UtcNow.AddSeconds(10)) })
        {
            await (await client.PostObject("/v1/batch", new { sentAt, batch = new[] { new { type = "track", @event = "Ping", anonymousId = anon, timestamp = t } } }))
                .Expect(HttpStatusCode.OK);
        }

        await server.Flush();
        Assert.Equal(4, await CountOf(anon));
    }
}
