using Pretzel.Core.Events;
using Pretzel.Ingest.Identity;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.DuckDb;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// The setup every cross-store test class shares: an in-memory DuckDB store and a fresh database on the ClickHouse
/// test cluster, both given the same events (<see cref="CreateEvents"/>) and their identities stitched; the ClickHouse
/// database is dropped afterwards. A subclass only says which events.
/// </summary>
public abstract class BothStores : IAsyncLifetime
{
    private ClickHouseEventStore? _clickHouse;

    protected DuckDbEventStore Duck { get; } = DuckDbEventStore.Open(":memory:");

    protected ClickHouseEventStore ClickHouse => _clickHouse ?? throw new InvalidOperationException("the ClickHouse store opens in InitializeAsync");

    /// <summary>The events both stores get, in the order they are appended.</summary>
    protected abstract IReadOnlyList<Event> CreateEvents();

    public async Task InitializeAsync()
    {
        _clickHouse = await ClickHouseTestServer.OpenFreshAsync();
        var events = CreateEvents();
        await Duck.AppendAsync(events);
        await _clickHouse.AppendAsync(events);
        await IdentityStitcher.RebuildAsync(Duck);
        await IdentityStitcher.RebuildAsync(_clickHouse);
    }

    public async Task DisposeAsync()
    {
        Duck.Dispose();
        if (_clickHouse is not null)
        {
            await ClickHouseTestServer.DropAsync(_clickHouse);
        }
    }
}
