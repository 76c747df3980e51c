using Pretzel.Storage.ClickHouse;

namespace Pretzel.Storage.TestSupport;

/// <summary>
/// The ClickHouse cluster tests run against: the store URL in <c>PRETZEL_TEST_CLICKHOUSE</c>, which
/// scripts/test.sh sets after starting the local two-shard cluster. Without it, ClickHouse tests fail
/// (never skip): a green run must mean the ClickHouse store was tested.
/// </summary>
internal static class ClickHouseTestServer
{
    public const string Variable = "PRETZEL_TEST_CLICKHOUSE";

    /// <summary>The options from the environment; throws, saying how to run the tests, when unset.</summary>
    public static ClickHouseStoreOptions Options()
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the ClickHouse store cannot be tested. Run the tests with scripts/test.sh, which starts "
                + $"the local two-shard ClickHouse cluster and sets it, or start it yourself (bash scripts/clickhouse.sh start) and "
                + $"set {Variable} to the URL it prints, e.g. clickhouse://127.0.0.1:18123/pretzel_test?cluster=pretzel");
        }

        return ClickHouseStoreOptions.Parse(url);
    }

    /// <summary>Options for a new database of its own (dropped by <see cref="DropAsync"/>).</summary>
    public static ClickHouseStoreOptions FreshOptions() => Options() with { Database = "pretzel_t_" + Guid.NewGuid().ToString("N") };

    /// <summary>Opens a store in a database of its own.</summary>
    public static Task<ClickHouseEventStore> OpenFreshAsync() => ClickHouseEventStore.OpenAsync(FreshOptions());

    /// <summary>Drops the store's database on every node and disposes the store.</summary>
    public static async Task DropAsync(ClickHouseEventStore store)
    {
        try
        {
            await store.DropDatabaseAsync();
        }
        finally
        {
            store.Dispose();
        }
    }
}

/// <summary>
/// A class fixture handing out ClickHouse stores in fresh databases, all dropped when the test class
/// is done. A missing <c>PRETZEL_TEST_CLICKHOUSE</c> surfaces in each test that asks for a store.
/// </summary>
public sealed class ClickHouseDatabases : IAsyncLifetime
{
    private readonly List<ClickHouseEventStore> _stores = [];
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>A new store in a database of its own; <paramref name="adjust"/> may change the options first.</summary>
    public async Task<ClickHouseEventStore> NewStoreAsync(Func<ClickHouseStoreOptions, ClickHouseStoreOptions>? adjust = null)
    {
        var options = ClickHouseTestServer.FreshOptions();
        var store = await ClickHouseEventStore.OpenAsync(adjust is null ? options : adjust(options));
        await _lock.WaitAsync();
        try
        {
            _stores.Add(store);
        }
        finally
        {
            _lock.Release();
        }

        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await ClickHouseTestServer.DropAsync(store);
        }

        _lock.Dispose();
    }
}
