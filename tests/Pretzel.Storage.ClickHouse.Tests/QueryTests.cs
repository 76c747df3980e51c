using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.ClickHouse.Tests;

/// <summary>ClickHouse-specific sides of <c>pretzel sql</c>: the server's own read-only refusal and its messages.</summary>
public sealed class QueryTests(ClickHouseDatabases databases) : IClassFixture<ClickHouseDatabases>
{
    [Theory]
    [InlineData("select * from file('x.tsv', 'TSV', 'a String')", "table functions")]
    [InlineData("select * from url('http://127.0.0.1:1/', 'TSV', 'a String')", "table functions")]
    [InlineData("select count() from events settings readonly = 0", "read-only")]
    public async Task Server_RefusesWhatTheGuardLetsThrough(string sql, string expected)
    {
        var store = await databases.NewStoreAsync();

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync(sql));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClickHouse error", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("insert into events (message_id) values ('x')", "INSERT")]
    [InlineData("alter table events delete where 1", "ALTER")]
    [InlineData("optimize table events final", "OPTIMIZE")]
    [InlineData("drop table events", "DROP")]
    [InlineData("select 1; drop table events", "one statement")]
    [InlineData("system drop mark cache", "SYSTEM")]
    [InlineData("select 1 format JSON", "FORMAT")]
    [InlineData("select 1 into outfile 'x'", "OUTFILE")]
    public async Task Guard_RefusesWritesAndFormats_BeforeTheServerSeesThem(string sql, string expected)
    {
        var store = await databases.NewStoreAsync();

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync(sql));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, (await store.QueryAsync("select count() from events")).Rows[0][0]);
    }

    [Theory]
    [InlineData("select 'it\\'s; drop table x' as s")]
    [InlineData("select 'a' as `insert`")]
    [InlineData("select /* delete */ 'b' as s -- drop\n")]
    [InlineData("select 'c' as s;")]
    [InlineData("select e.format from events e")]
    public void Guard_LooksOnlyAtKeywords(string sql) => ClickHouseReadOnlySql.ThrowIfNotAQuery(sql);

    [Fact]
    public async Task ServerError_CarriesTheServersMessage()
    {
        var store = await databases.NewStoreAsync();

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync("select * from no_such_table"));

        Assert.Contains("no_such_table", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClickHouse error 60", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("e.what()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_AreTyped()
    {
        var store = await databases.NewStoreAsync();
        await store.AppendAsync([ServerRoundTripTests.Track("a") with { Revenue = 2.5, Properties = "{\"k\":1}" }]);

        var result = await store.QueryAsync("""
            select count() as n, sum(revenue) as total, any(timestamp) as t, groupArray(message_id) as ids,
                   toDecimal64(1.25, 2) as d, any(properties) as p, CAST(NULL AS Nullable(String)) as z, toDate('2025-03-01') as day
            from events
            """);

        Assert.Equal(["n", "total", "t", "ids", "d", "p", "z", "day"], result.Columns);
        Assert.Equal(
            new object?[] { 1L, 2.5, ServerRoundTripTests.T0, new object?[] { "a" }, 1.25m, "{\"k\":1}", null, new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc) },
            Assert.Single(result.Rows));
    }

    [Fact]
    public async Task Events_HasTheDuckDbColumnsInOrder_ThenTheExactTimes()
    {
        var store = await databases.NewStoreAsync();

        var columns = (await store.QueryAsync("describe table events")).Rows.Select(r => (string)r[0]!).ToList();

        Assert.Equal([.. EventColumn.All, "timestamp_us", "received_at_us"], columns);
    }

    [Fact]
    public async Task Reopen_KeepsDataAndSchemaVersion()
    {
        var store = await databases.NewStoreAsync();
        await store.AppendAsync([ServerRoundTripTests.Track("kept")]);

        using var again = ClickHouseEventStore.Open(store.Options.ToString());

        Assert.Equal(ClickHouseMigrations.Latest, again.SchemaVersion());
        Assert.Equal(1L, (await again.QueryAsync("select count() from events")).Rows[0][0]);
        Assert.Equal((long)ClickHouseMigrations.Latest, (await again.QueryAsync("select count() from schema_migrations")).Rows[0][0]);
        Assert.NotEmpty(again.ServerVersion);
    }
}
