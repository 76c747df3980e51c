using System.Net;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>identify and alias received by the collector stitch anonymous events to the user's person.</summary>
public sealed class CollectIdentityTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private HttpClient Writer() => server.ClientWithKey(server.Shop.WriteKey);

    private async Task<Dictionary<string, string?>> PersonByEvent(string where)
    {
        await server.Flush();
        var rows = await server.Sql(server.Shop.ReadKey, $"select event, person_id from person_events where event is not null and ({where})");
        return rows.ToDictionary(r => r.Str("event")!, r => r.Str("person_id"));
    }

    [Fact]
    public async Task After_identify_anonymous_events_belong_to_the_user()
    {
        var anon = NewId("anon");
        var user = NewId("user");
        var t = DateTime.UtcNow.AddMinutes(-10);
        using var client = Writer();
        await (await client.PostObject("/v1/track", new { @event = "Browsed", anonymousId = anon, timestamp = Iso(t) })).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Equal("anon:" + anon, (await PersonByEvent($"anonymous_id = '{anon}'"))["Browsed"]);

        await (await client.PostObject("/v1/identify", new { anonymousId = anon, userId = user, traits = new { email = "x@example.com" }, timestamp = Iso(t.AddMinutes(1)) }))
            .Expect(HttpStatusCode.OK);
        await (await client.PostObject("/v1/track", new { @event = "Purchased", userId = user, timestamp = Iso(t.AddMinutes(2)) })).Expect(HttpStatusCode.OK);

        var persons = await PersonByEvent($"anonymous_id = '{anon}' or user_id = '{user}'");
        Assert.Equal(user, persons["Browsed"]);
        Assert.Equal(user, persons["Purchased"]);
        var person = Assert.Single(await server.Sql(server.Shop.ReadKey, $"select events from persons where person_id = '{user}'"));
        Assert.Equal(3, person.GetProperty("events").GetInt64());
        var identity = Assert.Single(await server.Sql(server.Shop.ReadKey, $"select person_id from identities where kind = 'anonymous' and id = '{anon}'"));
        Assert.Equal(user, identity.Str("person_id"));
    }

    [Fact]
    public async Task After_alias_the_previous_ids_events_belong_to_the_new_user()
    {
        var previous = NewId("prev");
        var user = NewId("user");
        using var client = Writer();
        await (await client.PostObject("/v1/batch", new
        {
            batch = new object[]
            {
                new { type = "page", name = "Landing", anonymousId = previous, timestamp = Iso(DateTime.UtcNow.AddMinutes(-5)) },
                new { type = "track", @event = "Signed Up", anonymousId = previous, timestamp = Iso(DateTime.UtcNow.AddMinutes(-4)) },
            },
        })).Expect(HttpStatusCode.OK);
        await (await client.PostObject("/v1/alias", new { previousId = previous, userId = user, timestamp = Iso(DateTime.UtcNow.AddMinutes(-3)) })).Expect(HttpStatusCode.OK);

        await server.Flush();
        var rows = await server.Sql(server.Shop.ReadKey, $"select type, person_id from person_events where anonymous_id = '{previous}' or user_id = '{user}'");
        Assert.Equal(3, rows.Length);
        Assert.All(rows, r => Assert.Equal(user, r.Str("person_id")));
    }

    [Fact]
    public async Task Different_anonymous_ids_of_one_user_are_one_person()
    {
        var phone = NewId("phone");
        var laptop = NewId("laptop");
        var user = NewId("user");
        using var client = Writer();
        await (await client.PostObject("/v1/batch", new
        {
            batch = new object[]
            {
                new { type = "track", @event = "On phone", anonymousId = phone },
                new { type = "track", @event = "On laptop", anonymousId = laptop },
                new { type = "identify", anonymousId = phone, userId = user },
                new { type = "identify", anonymousId = laptop, userId = user },
            },
        })).Expect(HttpStatusCode.OK);
        var persons = await PersonByEvent($"anonymous_id in ('{phone}', '{laptop}') and type = 'track'");
        Assert.Equal(user, persons["On phone"]);
        Assert.Equal(user, persons["On laptop"]);
        var person = Assert.Single(await server.Sql(server.Shop.ReadKey, $"select len(anonymous_ids) as n from persons where person_id = '{user}'"));
        Assert.Equal(2, person.GetProperty("n").GetInt64());
    }
}
