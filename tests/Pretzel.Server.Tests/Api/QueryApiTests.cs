using System.Net;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Api;

/// <summary>The query API: <c>POST /api/v1/sql</c> (and GET), <c>GET /api/v1/project</c>.</summary>
public sealed class QueryApiTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private HttpClient Reader() => server.ReadClient(server.Shop.ReadKey);

    [Fact]
    public async Task Rows_come_back_as_an_array_of_objects_with_the_column_order_in_a_header()
    {
        using var client = Reader();
        using var response = await client.PostObject("/api/v1/sql", new { sql = "select 2 as zeta, 'x' as alpha, null as mid, [1, 2] as list union all select 3, 'y', null, []" });
        var rows = await response.Expect(HttpStatusCode.OK);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(JsonValueKind.Array, rows.ValueKind);
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal(["zeta", "alpha", "mid", "list"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, rows[0].GetProperty("zeta").GetInt32());
        Assert.Equal("x", rows[0].GetProperty("alpha").GetString());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("mid").ValueKind);
        Assert.Equal(2, rows[0].GetProperty("list").GetArrayLength());
        var columns = JsonSerializer.Deserialize<string[]>(Assert.Single(response.Headers.GetValues("Pretzel-Columns")))!;
        Assert.Equal(["zeta", "alpha", "mid", "list"], columns);
    }

    [Fact]
    public async Task An_empty_result_is_an_empty_array_that_still_names_its_columns()
    {
        using var client = Reader();
        using var response = await client.PostObject("/api/v1/sql", new { sql = "select message_id, type, event from events where false" });
        var rows = await response.Expect(HttpStatusCode.OK);
        Assert.Equal(0, rows.GetArrayLength());
        Assert.Equal(["message_id", "type", "event"], JsonSerializer.Deserialize<string[]>(response.Headers.GetValues("Pretzel-Columns").Single())!);
    }

    [Fact]
    public async Task The_events_table_has_the_documented_columns_and_the_views_exist()
    {
        using var client = Reader();
        using var response = await client.PostObject("/api/v1/sql", new { sql = "select * from events limit 0" });
        await response.Expect(HttpStatusCode.OK);
        var columns = JsonSerializer.Deserialize<string[]>(response.Headers.GetValues("Pretzel-Columns").Single())!;
        string[] expected = ["message_id", "type", "event", "timestamp", "received_at", "anonymous_id", "user_id", "previous_id", "group_id",
            "properties", "channel", "source", "medium", "campaign", "content", "term", "referrer", "revenue", "currency"];
        Assert.Empty(expected.Except(columns));
        foreach (var table in new[] { "identities", "persons", "person_events" })
        {
            await (await client.PostObject("/api/v1/sql", new { sql = $"select * from {table} limit 1" })).Expect(HttpStatusCode.OK);
        }

        using var personEvents = await client.PostObject("/api/v1/sql", new { sql = "select * from person_events limit 0" });
        Assert.Contains("person_id", JsonSerializer.Deserialize<string[]>(personEvents.Headers.GetValues("Pretzel-Columns").Single())!);
    }

    [Fact]
    public async Task Accepted_events_are_queryable_with_typed_values()
    {
        var anon = NewId("q");
        using (var writer = server.ClientWithKey(server.Shop.WriteKey))
        {
            await (await writer.PostObject("/v1/track", new
            {
                @event = "Order Completed",
                anonymousId = anon,
                timestamp = "2025-03-01T12:30:00.250Z",
                properties = new { revenue = 99.5, currency = "USD" },
            })).Expect(HttpStatusCode.OK);
        }

        var row = Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
        Assert.Equal(JsonValueKind.Number, row.GetProperty("revenue").ValueKind);
        Assert.Equal(99.5, row.GetProperty("revenue").GetDouble());
        Assert.Equal(new DateTime(2025, 3, 1, 12, 30, 0, 250, DateTimeKind.Utc), row.Time("timestamp"));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("user_id").ValueKind);
    }

    [Fact]
    public async Task Get_with_q_runs_the_query_too()
    {
        using var client = Reader();
        var rows = await (await client.GetAsync("/api/v1/sql?q=" + Uri.EscapeDataString("select 6 * 7 as answer"))).Expect(HttpStatusCode.OK);
        Assert.Equal(42, rows[0].GetProperty("answer").GetInt32());
    }

    [Fact]
    public async Task Missing_sql_is_400_missing_field()
    {
        using var client = Reader();
        var body = await (await client.PostJson("/api/v1/sql", "{}")).ExpectError(HttpStatusCode.BadRequest, "missing_field");
        Assert.Equal("sql", body.GetProperty("errors")[0].GetProperty("field").GetString());
        await (await client.PostObject("/api/v1/sql", new { sql = "   " })).ExpectError(HttpStatusCode.BadRequest, "missing_field");
        await (await client.GetAsync("/api/v1/sql")).ExpectError(HttpStatusCode.BadRequest, "missing_field");
    }

    [Fact]
    public async Task Invalid_sql_is_400_invalid_sql()
    {
        using var client = Reader();
        var body = await (await client.PostObject("/api/v1/sql", new { sql = "selec nothing frm nowhere" })).ExpectError(HttpStatusCode.BadRequest, "invalid_sql");
        Assert.Equal("sql", body.GetProperty("errors")[0].GetProperty("field").GetString());
        await (await client.PostObject("/api/v1/sql", new { sql = "select * from no_such_table" })).ExpectError(HttpStatusCode.BadRequest, "invalid_sql");
    }

    [Theory]
    [InlineData("drop table events")]
    [InlineData("delete from events")]
    [InlineData("insert into identities values ('user', 'x', 'y')")]
    [InlineData("select 1; drop table events")]
    [InlineData("attach '/tmp/other.duckdb' as other")]
    [InlineData("copy events to '/tmp/pretzel-leak.csv'")]
    public async Task Statements_that_write_are_refused_and_change_nothing(string sql)
    {
        using var client = Reader();
        using var response = await client.PostObject("/api/v1/sql", new { sql });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertErrorShape(await response.Json());
        await (await client.PostObject("/api/v1/sql", new { sql = "select count(*) from events" })).Expect(HttpStatusCode.OK);
        Assert.Empty(await server.Sql(server.Shop.ReadKey, "select * from identities where id = 'x' and person_id = 'y'"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_4xx_not_a_crash()
    {
        using var client = Reader();
        using var response = await client.PostJson("/api/v1/sql", "select 1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var again = await client.PostObject("/api/v1/sql", new { sql = "select 1 as one" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Project_names_the_project_of_the_read_key()
    {
        using var shop = Reader();
        var body = await (await shop.GetAsync("/api/v1/project")).Expect(HttpStatusCode.OK);
        Assert.Equal("shop", body.GetProperty("project").GetString());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("backlog").ValueKind);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("store").GetString()));
        using var blog = server.ReadClient(server.Blog.ReadKey);
        Assert.Equal("blog", (await (await blog.GetAsync("/api/v1/project")).Expect(HttpStatusCode.OK)).GetProperty("project").GetString());
        using var writer = server.ReadClient(server.Shop.WriteKey);
        await (await writer.GetAsync("/api/v1/project")).ExpectError(HttpStatusCode.Forbidden, "wrong_key");
    }
}
