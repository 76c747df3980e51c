using Pretzel.Core.Storage;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// DuckDB and ClickHouse loaded with the same fixture give the same rows, value for value (normalised to
/// text, so an Int64 and a UInt64 count compare equal). Fails, saying how to run it, without a ClickHouse URL.
/// </summary>
public sealed class CrossStoreTests(BothStoresFixture stores) : IClassFixture<BothStoresFixture>
{
    public static TheoryData<string> Queries() =>
    [
        "select count(*) as n from events",
        "select event, count(*) as n from events group by event order by event",
        "select type, count(*) as n from events group by type order by type",
        "select message_id, type, event, anonymous_id, user_id, previous_id, group_id, channel, source, medium, campaign, content, term, referrer, revenue, currency, properties from events order by message_id",
        "select channel, count(*) as n, sum(revenue) as revenue from events group by channel order by channel",
        "select user_id, count(*) as n from events where user_id is not null group by user_id order by user_id",
        "select message_id, timestamp, received_at from events where message_id not in ('b1-09', 'b2-08') order by message_id",
        "select min(timestamp) as first_seen from events",
        "select kind, id, person_id from identities order by kind, id",
        "select person_id, count(*) as n from person_events group by person_id order by person_id",
        "select person_id, message_id from person_events order by person_id, message_id",
        "select person_id, events, user_ids, anonymous_ids from persons order by person_id",
        "select count(distinct person_id) as people from person_events",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task SameQuery_SameRows(string sql)
    {
        var duck = await stores.DuckDb.Store.QueryAsync(sql);
        var clickHouse = await stores.ClickHouse.Store.QueryAsync(sql);

        Assert.Equal(duck.Columns, clickHouse.Columns);
        Assert.NotEmpty(duck.Rows);
        Assert.Equal(Normal.Rows(duck), Normal.Rows(clickHouse));
    }

    // The dialect's spellings: one query text per engine, the same rows.
    public static TheoryData<string> DialectQueries() =>
    [
        "select person_id, {sorted:{micros}} as times from person_events group by person_id order by person_id",
        "select person_id, {countif:event = 'purchase'} as purchases, {length:{sorted:event}} as events from person_events group by person_id order by person_id",
        "select {countif:revenue < 0} as refunds, {countif:user_id is null} as anonymous from events",
    ];

    [Theory]
    [MemberData(nameof(DialectQueries))]
    public async Task SameDialectQuery_SameRows(string template)
    {
        var duck = await stores.DuckDb.Store.QueryAsync(Spell(template, stores.DuckDb.Store.Dialect));
        var clickHouse = await stores.ClickHouse.Store.QueryAsync(Spell(template, stores.ClickHouse.Store.Dialect));

        Assert.NotEmpty(duck.Rows);
        Assert.Equal(Normal.Rows(duck), Normal.Rows(clickHouse));
    }

    private static string Spell(string template, ISqlDialect dialect)
    {
        var sql = template.Replace("{micros}", dialect.TimestampMicros, StringComparison.Ordinal);
        sql = System.Text.RegularExpressions.Regex.Replace(sql, @"\{sorted:([^{}]+)\}", m => dialect.SortedArray(m.Groups[1].Value));
        sql = System.Text.RegularExpressions.Regex.Replace(sql, @"\{countif:([^{}]+)\}", m => dialect.CountIf(m.Groups[1].Value));
        return System.Text.RegularExpressions.Regex.Replace(sql, @"\{length:([^{}]+)\}", m => dialect.ArrayLength(m.Groups[1].Value));
    }

    [Fact]
    public void SameAppends_SameCounts()
    {
        Assert.Equal(
            (stores.DuckDb.First, stores.DuckDb.Second, stores.DuckDb.Replay, stores.DuckDb.IdentityRows),
            (stores.ClickHouse.First, stores.ClickHouse.Second, stores.ClickHouse.Replay, stores.ClickHouse.IdentityRows));
    }

    [Fact]
    public async Task SameSummary()
    {
        var duck = await stores.DuckDb.Store.SummarizeAsync(ContractEvents.ConversionEvents);
        var clickHouse = await stores.ClickHouse.Store.SummarizeAsync(ContractEvents.ConversionEvents);

        // Revenue is a floating-point sum; the engines may add in another order.
        Assert.Equal(duck.Revenue, clickHouse.Revenue, 9);
        Assert.Equal(duck with { Revenue = 0 }, clickHouse with { Revenue = 0 });
    }

    [Fact]
    public async Task SameIdentityLinks()
    {
        var duck = await stores.DuckDb.Store.ReadIdentityLinksAsync();
        var clickHouse = await stores.ClickHouse.Store.ReadIdentityLinksAsync();

        Assert.Equal(duck.Count, clickHouse.Count);
        Assert.Equal(duck.ToHashSet(), clickHouse.ToHashSet());
    }

    [Fact]
    public async Task SameRefusal_ForWrites()
    {
        foreach (var store in new IEventStore[] { stores.DuckDb.Store, stores.ClickHouse.Store })
        {
            var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync("delete from events"));
            Assert.StartsWith("pretzel sql is read-only: DELETE is refused; use SELECT, WITH, DESCRIBE", ex.Message, StringComparison.Ordinal);
        }
    }
}
