using System.Collections;
using System.Globalization;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Identity;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.DuckDb;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// One store per test class, loaded with <see cref="ContractEvents"/> the way the product loads data:
/// batch 1, batch 2, batch 1 again, then <see cref="IdentityStitcher.RebuildAsync"/>. A store that cannot
/// be set up (e.g. no ClickHouse URL) fails every test that uses it, with the reason.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<IEventStore> _extra = [];
    private IEventStore? _store;
    private Exception? _setupError;

    public AppendResult First { get; private set; }

    public AppendResult Second { get; private set; }

    public AppendResult Replay { get; private set; }

    public int IdentityRows { get; private set; }

    /// <summary>The loaded store.</summary>
    public IEventStore Store => _setupError is null
        ? _store!
        : throw new InvalidOperationException($"{GetType().Name} could not set up its store: {_setupError.Message}", _setupError);

    /// <summary>A new, empty store of the same kind, dropped with the fixture.</summary>
    public async Task<IEventStore> NewStoreAsync()
    {
        var store = await OpenEmptyAsync();
        lock (_extra)
        {
            _extra.Add(store);
        }

        return store;
    }

    protected abstract Task<IEventStore> OpenEmptyAsync();

    protected abstract Task CloseAsync(IEventStore store);

    public async Task InitializeAsync()
    {
        try
        {
            _store = await OpenEmptyAsync();
            First = await _store.AppendAsync(ContractEvents.Batch1);
            Second = await _store.AppendAsync(ContractEvents.Batch2);
            Replay = await _store.AppendAsync(ContractEvents.Batch1);
            IdentityRows = await IdentityStitcher.RebuildAsync(_store);
        }
        catch (Exception ex)
        {
            _setupError = ex;
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await CloseAsync(_store);
        }

        foreach (var store in _extra)
        {
            await CloseAsync(store);
        }
    }
}

public sealed class DuckDbStoreFixture : StoreFixture
{
    protected override Task<IEventStore> OpenEmptyAsync() => Task.FromResult<IEventStore>(DuckDbEventStore.Open(":memory:"));

    protected override Task CloseAsync(IEventStore store)
    {
        store.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>ClickHouse stores in fresh databases of the cluster in <c>PRETZEL_TEST_CLICKHOUSE</c>, dropped afterwards.</summary>
public sealed class ClickHouseStoreFixture : StoreFixture
{
    protected override async Task<IEventStore> OpenEmptyAsync() => await ClickHouseTestServer.OpenFreshAsync();

    protected override Task CloseAsync(IEventStore store) => ClickHouseTestServer.DropAsync((ClickHouseEventStore)store);
}

/// <summary>Both stores loaded with the same fixture, for direct comparison.</summary>
public sealed class BothStoresFixture : IAsyncLifetime
{
    public DuckDbStoreFixture DuckDb { get; } = new();

    public ClickHouseStoreFixture ClickHouse { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(DuckDb.InitializeAsync(), ClickHouse.InitializeAsync());

    public async Task DisposeAsync()
    {
        await DuckDb.DisposeAsync();
        await ClickHouse.DisposeAsync();
    }
}

/// <summary>
/// Values as comparable text, so that stores may differ in CLR types but not in values: integers of any
/// width (and integral decimals) alike, doubles round-trip exact, times as ISO-8601 to the tick, lists
/// (a DuckDB list or a ClickHouse array) as <c>[a, b]</c>, null as <c>NULL</c>.
/// </summary>
internal static class Normal
{
    public static string Value(object? value) => value switch
    {
        null => "NULL",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        decimal m when m == decimal.Truncate(m) => decimal.Truncate(m).ToString(CultureInfo.InvariantCulture),
        decimal m => ((double)m).ToString("R", CultureInfo.InvariantCulture),
        System.Numerics.BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        sbyte or byte or short or ushort or int or uint or long or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Value)) + "]",
        _ => value.ToString() ?? "NULL",
    };

    public static string Row(IEnumerable<object?> row) => string.Join("|", row.Select(Value));

    public static List<string> Rows(QueryResult result) => result.Rows.Select(Row).ToList();
}
