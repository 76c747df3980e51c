using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Identity;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.ClickHouse.Tests;

/// <summary>Without <c>?cluster=</c>: one server, <c>events</c> is the ReplacingMergeTree table itself.</summary>
public sealed class SingleServerTests(ClickHouseDatabases databases) : IClassFixture<ClickHouseDatabases>
{
    private Task<ClickHouseEventStore> SingleStoreAsync() => databases.NewStoreAsync(o => o with { Cluster = null, Nodes = null });

    [Fact]
    public async Task Tables_AreLocal()
    {
        var store = await SingleStoreAsync();

        var tables = await store.QueryAsync("select name, engine from system.tables where database = currentDatabase() order by name");

        Assert.Single(store.Nodes);
        Assert.Equal(
            ["costs:ReplacingMergeTree", "events:ReplacingMergeTree", "identities:MergeTree", "person_events:View", "persons:View", "schema_migrations:TinyLog"],
            tables.Rows.Select(r => $"{r[0]}:{r[1]}"));
    }

    [Fact]
    public async Task AppendDedupAndStitching_WorkAsOnTheCluster()
    {
        var store = await SingleStoreAsync();
        var first = new List<Event>
        {
            ServerRoundTripTests.Track("s1", anonymousId: "dev-1"),
            ServerRoundTripTests.Track("s2", anonymousId: "dev-1", minutes: 1),
            ServerRoundTripTests.Track("s2", anonymousId: "dev-1", minutes: 2),
        };
        var second = new List<Event>
        {
            ServerRoundTripTests.Track("s3", anonymousId: "dev-1", userId: "u-1", minutes: 3) with { Type = EventType.Identify, Name = null },
            ServerRoundTripTests.Track("s1", anonymousId: "dev-9"),
            ServerRoundTripTests.Track("s4", anonymousId: null, userId: "u-1", minutes: 4) with { Name = "purchase", Revenue = 9.5 },
        };

        Assert.Equal(new AppendResult(2, 1), await store.AppendAsync(first));
        Assert.Equal(new AppendResult(2, 1), await store.AppendAsync(second));
        Assert.Equal(2, await IdentityStitcher.RebuildAsync(store));

        var people = await store.QueryAsync("select person_id, count(*) as n from person_events group by person_id");
        Assert.Equal(new object?[] { "u-1", 4L }, Assert.Single(people.Rows));
        var summary = await store.SummarizeAsync(["purchase"]);
        Assert.Equal(new StoreSummary(4, 1, 0, 1, 9.5, ServerRoundTripTests.T0, ServerRoundTripTests.T0.AddMinutes(4)), summary);
    }
}
