using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb.Tests;

public class ReadOnlySqlGuardTests
{
    [Theory]
    [InlineData("select 'delete from events' as note")]
    [InlineData("select count(*) as n from events -- drop table events")]
    [InlineData("/* insert */ select 1")]
    [InlineData("select \"update\" from (select 1 as \"update\")")]
    [InlineData("select $$drop table events$$ as s")]
    [InlineData("with t as (select 1 as x) select x from t;")]
    [InlineData("(select 1) union all (select 2)")]
    [InlineData("describe events")]
    public void ThrowIfNotAQuery_ReadOnlyQuery_IsAccepted(string sql) => ReadOnlySql.ThrowIfNotAQuery(sql);

    [Theory]
    [InlineData("delete from events", "DELETE")]
    [InlineData("explain analyze delete from events", "DELETE")]
    [InlineData("with x as (select 1) insert into identities select 'user', 'u', 'p'", "INSERT")]
    [InlineData("select 1; select 2", "one statement")]
    [InlineData("SELECT * FROM events; DROP TABLE events", "one statement")]
    [InlineData("   ", "empty")]
    public void ThrowIfNotAQuery_Write_IsRefusedNamingIt(string sql, string expected)
    {
        var ex = Assert.Throws<StoreException>(() => ReadOnlySql.ThrowIfNotAQuery(sql));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
