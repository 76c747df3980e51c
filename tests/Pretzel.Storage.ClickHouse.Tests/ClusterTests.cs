using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Identity;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.ClickHouse.Tests;

/// <summary>The two-shard layout: where rows land, and what every node holds.</summary>
public sealed class ClusterTests(ClickHouseDatabases databases) : IClassFixture<ClickHouseDatabases>
{
    private async Task<ClickHouseEventStore> ClusterStoreAsync()
    {
        var store = await databases.NewStoreAsync();
        Assert.True(store.Options.Cluster is not null, $"{ClickHouseTestServer.Variable} must name a cluster (?cluster=pretzel): these tests check sharding");
        Assert.True(store.Nodes.Select(n => n.Shard).Distinct().Count() >= 2, $"cluster '{store.Options.Cluster}' should have two shards; has nodes {string.Join(", ", store.Nodes)}");
        return store;
    }

    private static async Task<Dictionary<ClickHouseNode, List<object?[]>>> PerNodeAsync(ClickHouseEventStore store, string sql)
    {
        var result = new Dictionary<ClickHouseNode, List<object?[]>>();
        foreach (var node in store.Nodes)
        {
            result[node] = (await store.SelectAsync(node, sql, CancellationToken.None)).Rows.ToList();
        }

        return result;
    }

    [Fact]
    public async Task Rows_SpreadOverBothShards_WhileEachDeviceStaysOnOne()
    {
        var store = await ClusterStoreAsync();
        var events = new List<Event>();
        for (var i = 0; i < 600; i++)
        {
            // 41 devices; every fifth event is server-side, with a user id only (7 users).
            events.Add(i % 5 == 4
                ? ServerRoundTripTests.Track($"m{i:D4}", anonymousId: null, userId: $"user-{i % 7}", minutes: i)
                : ServerRoundTripTests.Track($"m{i:D4}", anonymousId: $"device-{i % 41}", userId: i % 3 == 0 ? $"user-{i % 7}" : null, minutes: i));
        }

        Assert.Equal(new AppendResult(600, 0), await store.AppendAsync(events));

        var counts = await PerNodeAsync(store, "SELECT count() FROM events_local");
        var perNode = counts.Values.Select(rows => (long)rows[0][0]!).ToList();
        Assert.All(perNode, n => Assert.True(n > 0, $"a shard got no rows: {string.Join(", ", perNode)}"));
        Assert.Equal(600L, perNode.Sum());
        Assert.Equal(600L, (await store.QueryAsync("select count() from events")).Rows[0][0]);

        var keys = await PerNodeAsync(store, "SELECT DISTINCT ifNull(anonymous_id, user_id) FROM events_local");
        var owner = new Dictionary<string, ClickHouseNode>(StringComparer.Ordinal);
        foreach (var (node, rows) in keys)
        {
            foreach (var key in rows.Select(r => (string)r[0]!))
            {
                Assert.False(owner.TryGetValue(key, out var other), $"'{key}' has events on {other} and on {node}");
                owner[key] = node;
            }
        }

        Assert.Equal(41 + 7, owner.Count);
        Assert.True(owner.Values.Distinct().Count() >= 2, "all devices landed on one shard");
    }

    [Fact]
    public async Task Duplicates_AreFoundOnWhicheverShardHoldsThem()
    {
        var store = await ClusterStoreAsync();
        var first = Enumerable.Range(0, 100).Select(i => ServerRoundTripTests.Track($"d{i:D3}", anonymousId: $"device-{i % 10}")).ToList();
        await store.AppendAsync(first);

        // Same ids, other devices: a re-sent message is a duplicate even when it would shard elsewhere.
        var again = first.Select(e => e with { AnonymousId = "elsewhere-" + e.AnonymousId }).Append(ServerRoundTripTests.Track("new")).ToList();
        var result = await store.AppendAsync(again);

        Assert.Equal(new AppendResult(1, 100), result);
        Assert.Equal(101L, (await store.QueryAsync("select count() from events")).Rows[0][0]);
    }

    [Fact]
    public async Task IdentityMap_IsCopiedWholeToEveryNode_AndPersonsResolveAcrossShards()
    {
        var store = await ClusterStoreAsync();
        var events = new List<Event>();
        for (var d = 0; d < 12; d++)
        {
            events.Add(ServerRoundTripTests.Track($"view-{d:D2}", anonymousId: $"device-{d}", minutes: d));
            events.Add(ServerRoundTripTests.Track($"login-{d:D2}", anonymousId: $"device-{d}", userId: $"user-{d % 3}", minutes: 100 + d) with { Type = EventType.Identify, Name = null });
        }

        await store.AppendAsync(events);
        var rows = await IdentityStitcher.RebuildAsync(store);

        var perNode = await PerNodeAsync(store, "SELECT count() FROM identities");
        Assert.All(perNode.Values, r => Assert.Equal((long)rows, r[0][0]));
        var people = await store.QueryAsync("select person_id, count(*) as n from person_events group by person_id order by person_id");
        Assert.Equal(
            new[] { "user-0:8", "user-1:8", "user-2:8" },
            people.Rows.Select(r => $"{r[0]}:{r[1]}"));
        Assert.Equal(3, (await store.SummarizeAsync(["purchase"])).People);
    }

    [Fact]
    public async Task Tables_OnEveryNode_AndEventsIsDistributedOverEventsLocal()
    {
        var store = await ClusterStoreAsync();

        var tables = await PerNodeAsync(store, "SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name");
        foreach (var (node, rows) in tables)
        {
            Assert.Equal(
                new[] { "costs:ReplacingMergeTree", "events:Distributed", "events_local:ReplacingMergeTree", "identities:MergeTree", "person_events:Distributed", "person_events_local:View", "persons:View", "schema_migrations:TinyLog" },
                rows.Select(r => $"{r[0]}:{r[1]}"));
        }

        var versions = await PerNodeAsync(store, "SELECT version, name FROM schema_migrations ORDER BY version");
        Assert.All(versions.Values, r => Assert.Equal(Enumerable.Range(1, ClickHouseMigrations.Latest).Select(v => (long)v), r.Select(row => Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Open_ExplicitNodes_AreUsed_AndAWrongNumberOfThemIsRefused()
    {
        var store = await ClusterStoreAsync();
        var endpoints = store.Nodes.Select(n => n.ToString()).ToList();

        using (var again = await ClickHouseEventStore.OpenAsync(store.Options with { Nodes = endpoints }))
        {
            Assert.Equal(endpoints, again.Nodes.Select(n => n.ToString()));
        }

        var ex = await Assert.ThrowsAsync<StoreException>(() => ClickHouseEventStore.OpenAsync(store.Options with { Nodes = endpoints.Take(1).ToList() }));
        Assert.Contains("lists 1 endpoint(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_UnknownCluster_NamesItAndTheKnownOnes()
    {
        var options = ClickHouseTestServer.FreshOptions() with { Cluster = "no_such_cluster" };

        var ex = await Assert.ThrowsAsync<StoreException>(() => ClickHouseEventStore.OpenAsync(options));

        Assert.Contains("no cluster 'no_such_cluster'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ClickHouseTestServer.Options().Cluster ?? "none", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ClusterDatabaseWithoutCluster_IsRefused()
    {
        var store = await ClusterStoreAsync();

        var ex = await Assert.ThrowsAsync<StoreException>(() => ClickHouseEventStore.OpenAsync(store.Options with { Cluster = null }));

        Assert.Contains("was created for a cluster", ex.Message, StringComparison.Ordinal);
    }
}
