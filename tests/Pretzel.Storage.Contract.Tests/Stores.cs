using Pretzel.Storage.ClickHouse;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>The contract on the embedded DuckDB store (in memory).</summary>
public sealed class DuckDbStoreContractTests(DuckDbStoreFixture fixture) : StoreContractTests<DuckDbStoreFixture>(fixture)
{
}

/// <summary>
/// The contract on the ClickHouse store, through the Distributed tables of the cluster in
/// <c>PRETZEL_TEST_CLICKHOUSE</c> (a fresh database per class). Fails, saying how to run it, when unset.
/// </summary>
public sealed class ClickHouseStoreContractTests(ClickHouseStoreFixture fixture) : StoreContractTests<ClickHouseStoreFixture>(fixture)
{
    [Fact]
    public async Task OnePerson_SpreadOverShards_IsStillOnePerson()
    {
        var store = (ClickHouseEventStore)Fixture.Store;
        Assert.True(store.Nodes.Select(n => n.Shard).Distinct().Count() > 1, $"the contract runs against a cluster of two shards: PRETZEL_TEST_CLICKHOUSE should end in ?cluster=NAME (it is {store.Options})");
        var shardsPerPerson = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var node in store.Nodes)
        {
            // Each shard resolves its own events to persons with its copy of the identity map.
            var rows = await store.SelectAsync(node, "SELECT DISTINCT person_id FROM person_events_local", CancellationToken.None);
            foreach (var person in rows.Rows.Select(r => (string)r[0]!))
            {
                if (!shardsPerPerson.TryGetValue(person, out var shards))
                {
                    shardsPerPerson[person] = shards = [];
                }

                shards.Add(node.Shard);
            }
        }

        Assert.True(shardsPerPerson["alice"].Count > 1, "alice's laptop and mobile should hash to different shards");
        Assert.True(shardsPerPerson["carol"].Count > 1, "carol's device and her user-only events should hash to different shards");
        Assert.Equal(["alice|7", "carol|3"], Normal.Rows(await store.QueryAsync("select person_id, count(*) as n from person_events where person_id in ('alice', 'carol') group by person_id order by person_id")));
    }
}
