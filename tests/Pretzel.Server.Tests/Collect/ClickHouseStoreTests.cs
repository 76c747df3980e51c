using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pretzel.Server.Tests.Support;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Server.Tests.Collect;

/// <summary>
/// <c>pretzel serve --store clickhouse://…</c>: each project's events go to the ClickHouse cluster, in a
/// database of its own (<c>DATABASE_PROJECT</c>), with the same answers and the same isolation.
/// </summary>
public sealed class ClickHouseStoreTests : IAsyncLifetime
{
    private readonly PretzelServerFactory _server = new();
    private readonly ClickHouseStoreOptions _options = ClickHouseTestServer.FreshOptions();

    public Task InitializeAsync()
    {
        _server.Settings["Pretzel:Store"] = _options.ToString();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var project in (string[])["shop", "blog"])
        {
            using var store = ClickHouseEventStore.Open(_options with { Database = _options.Database + "_" + project });
            await store.DropDatabaseAsync();
        }
    }

    [Fact]
    public async Task Events_go_to_each_projects_own_ClickHouse_database_and_people_are_stitched()
    {
        using var shop = _server.ClientWithKey(_server.Shop.WriteKey);
        using var blog = _server.ClientWithKey(_server.Blog.WriteKey);
        var sent = await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "page", "name": "Home", "anonymousId": "ch-a1", "messageId": "ch-1", "timestamp": "2026-11-01T10:00:00Z",
               "context": {"campaign": {"source": "newsletter", "medium": "email", "name": "spring"}}},
              {"type": "identify", "userId": "ch-u1", "anonymousId": "ch-a1", "messageId": "ch-2", "timestamp": "2026-11-01T10:01:00Z"},
              {"type": "track", "event": "Order Completed", "userId": "ch-u1", "messageId": "ch-3", "timestamp": "2026-11-01T10:02:00Z",
               "properties": {"revenue": 42, "currency": "EUR"}}
            ]}
            """);
        await sent.Expect(HttpStatusCode.OK);
        (await blog.PostJson("/v1/track", """{"event": "Read", "anonymousId": "ch-b1", "messageId": "ch-9"}""")).EnsureSuccessStatusCode();
        // A re-sent batch counts once.
        (await shop.PostJson("/v1/track", """{"event": "Order Completed", "userId": "ch-u1", "messageId": "ch-3", "timestamp": "2026-11-01T10:02:00Z"}""")).EnsureSuccessStatusCode();
        await _server.Flush();

        var rows = await _server.Sql(_server.Shop.ReadKey, "select message_id, channel, revenue from events order by message_id");
        Assert.Equal(["ch-1", "ch-2", "ch-3"], rows.Select(r => r.Str("message_id")));
        Assert.Equal("email", rows[0].Str("channel"));
        Assert.Equal(42.0, rows[2].GetProperty("revenue").GetDouble());
        var people = await _server.Sql(_server.Shop.ReadKey, "select distinct person_id from person_events");
        Assert.Equal(["ch-u1"], people.Select(r => r.Str("person_id")));
        Assert.Equal(1, await _server.Count(_server.Blog.ReadKey, "select count(*) from events"));

        var project = await (await _server.ReadClient(_server.Shop.ReadKey).GetAsync("/api/v1/project")).Json();
        Assert.Contains(_options.Database + "_shop", project.GetProperty("store").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Funnels_and_retention_are_computed_by_ClickHouse_without_reading_the_columns_and_follow_new_events()
    {
        using var shop = _server.ClientWithKey(_server.Shop.WriteKey);
        using var read = _server.ReadClient(_server.Shop.ReadKey);
        async Task Send(string user, string day) => (await shop.PostJson("/v1/batch", $$$"""
            {"batch": [
              {"type": "track", "event": "visit", "userId": "{{{user}}}", "timestamp": "{{{day}}}T10:00:00Z"},
              {"type": "track", "event": "purchase", "userId": "{{{user}}}", "timestamp": "{{{day}}}T11:00:00Z", "properties": {"revenue": 10}}
            ]}
            """)).EnsureSuccessStatusCode();
        async Task<long[]> Funnel() => [.. (await (await read.GetAsync("/api/v1/funnel?steps=visit,purchase&to=2026-06-30")).Expect(HttpStatusCode.OK))
            .EnumerateArray().Select(r => r.GetProperty("entered").GetInt64())];
        async Task<long> Cohort() => (await (await read.GetAsync("/api/v1/retention?start_event=purchase&to=2026-06-30")).Expect(HttpStatusCode.OK))
            .EnumerateArray().First().GetProperty("cohort_size").GetInt64();
        var runtime = _server.Services.GetRequiredService<Pretzel.Server.Collect.ProjectHub>().Get("shop");

        await Send("ch-p1", "2026-03-02");
        await Send("ch-p2", "2026-03-05");
        await _server.Flush();
        Assert.Equal(new long[] { 2, 2 }, await Funnel());
        Assert.Equal(2, await Cohort());
        Assert.False(runtime.HoldsColumns, "the funnel and the retention table should run inside ClickHouse");

        // The answers kept for the next identical request go with the data: new events give new answers.
        await Send("ch-p3", "2026-03-09");
        await _server.Flush();
        Assert.Equal(new long[] { 3, 3 }, await Funnel());
        Assert.Equal(3, await Cohort());

        // A report without a SQL form reads the columns; the funnel then runs as the kernel over them, alike.
        (await read.GetAsync("/api/v1/paths?touch=event&conversion=purchase&to=2026-06-30")).EnsureSuccessStatusCode();
        Assert.True(runtime.HoldsColumns);
        Assert.Equal(new long[] { 3, 3 }, (await (await read.GetAsync("/api/v1/funnel?steps=visit,purchase&to=2026-06-30&window=30d")).Expect(HttpStatusCode.OK))
            .EnumerateArray().Select(r => r.GetProperty("entered").GetInt64()));
    }
}
