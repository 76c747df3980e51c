using Pretzel.Core.Costs;
using Pretzel.Core.Storage;
using Pretzel.Storage.DuckDb;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>Ad costs on both stores: stored alike, and a re-imported entry replaces the stored one.</summary>
public sealed class CostsCrossStoreTests
{
    private static readonly CostEntry[] Costs =
    [
        new(new DateOnly(2025, 3, 1), "paid_search", "", 120.5, "EUR"),
        new(new DateOnly(2025, 3, 1), "paid_search", "spring_sale", 80, "EUR"),
        new(new DateOnly(2025, 3, 2), "paid_social", "tab\\there", 33.25, "EUR"),
        new(new DateOnly(2025, 3, 2), "display", "", 0, "EUR"),
    ];

    [Fact]
    public async Task Costs_round_trip_and_a_second_import_replaces_rather_than_adds()
    {
        using var duck = DuckDbEventStore.Open(":memory:");
        var clickHouse = await ClickHouseTestServer.OpenFreshAsync();
        try
        {
            foreach (var store in (IEventStore[])[duck, clickHouse])
            {
                Assert.Equal(4, await store.UpsertCostsAsync(Costs));
                await store.UpsertCostsAsync(Costs);
                Assert.Equal(Costs.OrderBy(c => c.Date).ThenBy(c => c.Channel, StringComparer.Ordinal).ThenBy(c => c.Campaign, StringComparer.Ordinal), await store.ReadCostsAsync());

                await store.UpsertCostsAsync([Costs[0] with { Cost = 99 }]);
                var after = await store.ReadCostsAsync();
                Assert.Equal(4, after.Count);
                Assert.Equal(99, after.Single(c => c.Channel == "paid_search" && c.Campaign.Length == 0).Cost);
            }
        }
        finally
        {
            await ClickHouseTestServer.DropAsync(clickHouse);
        }
    }
}
