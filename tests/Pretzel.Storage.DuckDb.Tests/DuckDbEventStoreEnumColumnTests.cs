namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>The low-cardinality columns are DuckDB ENUMs extended as values arrive; to users they must behave as text.</summary>
public sealed class DuckDbEventStoreEnumColumnTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AppendAsync_NewValuesOverSeveralWritesAndReopens_AreAllStoredAndSortAlphabetically()
    {
        using (var store = DuckDbEventStore.Open(_temp.DbPath))
        {
            await store.AppendAsync([TestEvents.Track("1", name: "zeta") with { Channel = "email", Currency = "EUR" }]);
            await store.AppendAsync([TestEvents.Track("2", name: "alpha") with { Channel = "paid_search" }, TestEvents.Track("3", name: "zeta")]);
        }

        using (var store = DuckDbEventStore.Open(_temp.DbPath))
        {
            await store.AppendAsync([TestEvents.Track("4", name: "it's \"quoted\", really") with { Source = "o'reilly", Campaign = "Ünïcode 🥨" }]);
            await store.AppendAsync([TestEvents.Track("5", name: "beta") with { Currency = "USD" }]);
        }

        using var reader = DuckDbEventStore.Open(_temp.DbPath, readOnly: true);
        var events = await reader.QueryAsync("select event from events order by event, message_id");
        Assert.Equal(["alpha", "beta", "it's \"quoted\", really", "zeta", "zeta"], events.Rows.Select(r => r[0]));
        var row = Assert.Single((await reader.QueryAsync("select source, campaign from events where message_id = '4'")).Rows);
        Assert.Equal(["o'reilly", "Ünïcode 🥨"], row);
        var currencies = await reader.QueryAsync("select currency from events where currency is not null order by 1");
        Assert.Equal(["EUR", "USD"], currencies.Rows.Select(r => r[0]));
    }

    [Theory]
    [InlineData("select count(*) from events where event = 'purchase'")]
    [InlineData("select count(*) from events where event in ('purchase', 'signup')")]
    [InlineData("select count(*) from events where channel = 'email'")]
    [InlineData("select count(*) from events where list_contains(['purchase'], event)")]
    [InlineData("select count(*) from events where type = 'no_such_type'")]
    [InlineData("select count(*) from events e join (select 'purchase' as n) x on e.event = x.n")]
    public async Task QueryAsync_FilterByAValueTheColumnHasNeverHeld_ReturnsNoRows(string sql)
    {
        using var store = DuckDbEventStore.Open(":memory:");
        await store.AppendAsync([TestEvents.Track("1", name: "page_view")]);

        var result = await store.QueryAsync(sql);

        Assert.Equal(0L, result.Rows[0][0]);
    }

    [Fact]
    public async Task AppendAsync_FailedWrite_LeavesTheStoreWritable()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath);
        await store.AppendAsync([TestEvents.Track("1", name: "first")]);

        // An empty message id is staged as NULL and violates NOT NULL: the whole write is rolled back.
        var failed = await Record.ExceptionAsync(() => store.AppendAsync([TestEvents.Track("2", name: "brand_new"), TestEvents.Track("", name: "other_new")]));
        var after = await store.AppendAsync([TestEvents.Track("3", name: "brand_new")]);

        Assert.NotNull(failed);
        Assert.Equal(1, after.Written);
        var events = await store.QueryAsync("select message_id, event from events order by 1");
        Assert.Equal([["1", "first"], ["3", "brand_new"]], events.Rows);
    }
}
