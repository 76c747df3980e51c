using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Write keys on /v1/*, read keys on /api/v1/*, and the isolation of projects.</summary>
public sealed class CollectAuthTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private static string Track(string anon) => JsonSerializer.Serialize(new { @event = "Auth", anonymousId = anon });

    [Theory]
    [InlineData("/v1/track")]
    [InlineData("/v1/batch")]
    [InlineData("/v1/i")]
    public async Task No_key_is_401_missing_key(string path)
    {
        using var client = server.CreateClient();
        var json = path == "/v1/batch" ? $$"""{"batch":[{{Track(NewId("a"))}}]}""" : Track(NewId("a"));
        await (await client.PostJson(path, json)).ExpectError(HttpStatusCode.Unauthorized, "missing_key");
    }

    [Fact]
    public async Task Basic_auth_with_an_empty_user_name_is_missing_key()
    {
        using var client = server.ClientWithKey("");
        await (await client.PostJson("/v1/track", Track(NewId("a")))).ExpectError(HttpStatusCode.Unauthorized, "missing_key");
    }

    [Fact]
    public async Task Unknown_key_is_401_invalid_key()
    {
        using var client = server.ClientWithKey("pzw_not-a-key-of-any-project");
        await (await client.PostJson("/v1/track", Track(NewId("a")))).ExpectError(HttpStatusCode.Unauthorized, "invalid_key");
    }

    [Fact]
    public async Task Unknown_key_in_the_body_is_401_invalid_key()
    {
        using var client = server.CreateClient();
        var json = JsonSerializer.Serialize(new { writeKey = "pzw_nope", batch = new[] { new { type = "track", @event = "x", anonymousId = "a" } } });
        await (await client.PostJson("/v1/batch", json, "text/plain")).ExpectError(HttpStatusCode.Unauthorized, "invalid_key");
    }

    [Fact]
    public async Task Read_key_on_the_collector_is_403_wrong_key()
    {
        var anon = NewId("anon");
        using var client = server.ClientWithKey(server.Shop.ReadKey);
        await (await client.PostJson("/v1/track", Track(anon))).ExpectError(HttpStatusCode.Forbidden, "wrong_key");
        using var bodyClient = server.CreateClient();
        var json = JsonSerializer.Serialize(new { writeKey = server.Shop.ReadKey, @event = "x", anonymousId = anon });
        await (await bodyClient.PostJson("/v1/track", json, "text/plain")).ExpectError(HttpStatusCode.Forbidden, "wrong_key");
        Assert.Empty(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    [Fact]
    public async Task Write_key_on_the_query_api_is_403_wrong_key()
    {
        using var bearer = server.ReadClient(server.Shop.WriteKey);
        await (await bearer.PostObject("/api/v1/sql", new { sql = "select 1" })).ExpectError(HttpStatusCode.Forbidden, "wrong_key");
        using var basic = server.ClientWithKey(server.Blog.WriteKey);
        await (await basic.PostObject("/api/v1/sql", new { sql = "select 1" })).ExpectError(HttpStatusCode.Forbidden, "wrong_key");
    }

    [Fact]
    public async Task Query_api_without_or_with_an_unknown_key_is_401()
    {
        using var none = server.CreateClient();
        await (await none.PostObject("/api/v1/sql", new { sql = "select 1" })).ExpectError(HttpStatusCode.Unauthorized, "missing_key");
        using var unknown = server.ReadClient("pzr_unknown");
        await (await unknown.PostObject("/api/v1/sql", new { sql = "select 1" })).ExpectError(HttpStatusCode.Unauthorized, "invalid_key");
    }

    [Fact]
    public async Task Read_key_works_as_basic_auth_user_too()
    {
        using var client = server.ClientWithKey(server.Shop.ReadKey);
        var rows = await (await client.PostObject("/api/v1/sql", new { sql = "select 41 + 1 as answer" })).Expect(HttpStatusCode.OK);
        Assert.Equal(42, rows[0].GetProperty("answer").GetInt32());
    }

    [Fact]
    public async Task Basic_auth_with_a_password_still_uses_the_user_name()
    {
        var anon = NewId("anon");
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(server.Shop.WriteKey + ":ignored")));
        await (await client.PostJson("/v1/track", Track(anon))).Expect(HttpStatusCode.OK);
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    [Fact]
    public async Task Projects_are_isolated()
    {
        var shopAnon = NewId("shop");
        var blogAnon = NewId("blog");
        using (var shop = server.ClientWithKey(server.Shop.WriteKey))
        {
            await (await shop.PostJson("/v1/track", Track(shopAnon))).Expect(HttpStatusCode.OK);
        }

        using (var blog = server.CreateClient())
        {
            // The blog's event carries its key in the body.
            var json = JsonSerializer.Serialize(new { writeKey = server.Blog.WriteKey, @event = "Auth", anonymousId = blogAnon });
            await (await blog.PostJson("/v1/track", json, "text/plain")).Expect(HttpStatusCode.OK);
        }

        await server.Flush();
        var inShop = await server.Sql(server.Shop.ReadKey, $"select anonymous_id from events where anonymous_id in ('{shopAnon}', '{blogAnon}')");
        var inBlog = await server.Sql(server.Blog.ReadKey, $"select anonymous_id from events where anonymous_id in ('{shopAnon}', '{blogAnon}')");
        Assert.Equal(shopAnon, Assert.Single(inShop).Str("anonymous_id"));
        Assert.Equal(blogAnon, Assert.Single(inBlog).Str("anonymous_id"));
    }

    [Fact]
    public async Task Header_key_of_one_project_is_not_overridden_by_a_body_key_of_another()
    {
        var anon = NewId("anon");
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        var json = JsonSerializer.Serialize(new { writeKey = server.Blog.WriteKey, @event = "Both", anonymousId = anon });
        await (await client.PostJson("/v1/track", json)).Expect(HttpStatusCode.OK);
        await server.Flush();
        Assert.Single(await server.Sql(server.Shop.ReadKey, $"select * from events where anonymous_id = '{anon}'"));
        Assert.Empty(await server.Sql(server.Blog.ReadKey, $"select * from events where anonymous_id = '{anon}'"));
    }
}
