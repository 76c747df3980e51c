using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Identity;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// The store contract: what every <see cref="IEventStore"/> must answer for <see cref="ContractEvents"/>.
/// One concrete subclass per store; later analyses add their cases here, so each runs on every store.
/// SQL in these cases is valid on DuckDB and ClickHouse alike, or spelled through <see cref="IEventStore.Dialect"/>.
/// </summary>
public abstract class StoreContractTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : StoreFixture
{
    protected TFixture Fixture { get; } = fixture;

    /// <summary>
    /// Every stored column with the two times as microseconds since the epoch, named
    /// <c>timestamp_us</c> and <c>received_at_us</c>, ordered by message id: each engine spells the
    /// exact times its own way, through the store's <see cref="ISqlDialect"/>.
    /// </summary>
    protected string ExactEventsSql => $"""
        select message_id, type, event, {Store.Dialect.TimestampMicros} as timestamp_us, {Store.Dialect.ReceivedAtMicros} as received_at_us,
               anonymous_id, user_id, previous_id, group_id, channel, source, medium, campaign, content, term, referrer,
               revenue, currency, properties
        from events order by message_id
        """;

    private IEventStore Store => Fixture.Store;

    [Fact]
    public void Append_CountsWrittenAndDuplicates_InsideAndAcrossBatches()
    {
        Assert.Equal(new AppendResult(11, 1), Fixture.First);
        Assert.Equal(new AppendResult(8, 3), Fixture.Second);
        Assert.Equal(new AppendResult(0, 12), Fixture.Replay);
    }

    [Fact]
    public async Task Append_FirstOccurrenceWins()
    {
        var rows = await Store.QueryAsync("select message_id, event from events where message_id in ('b1-02', 'b1-04', 'b1-08', 'b2-08') order by message_id");

        Assert.Equal(["b1-02|product_viewed", "b1-04|add_to_cart", "b1-08|Pricing", "b2-08|Home"], Normal.Rows(rows));
    }

    [Fact]
    public async Task Append_Empty_WritesNothing()
    {
        Assert.Equal(default, await Store.AppendAsync([]));
        Assert.Equal([ContractEvents.Events.ToString()], Normal.Rows(await Store.QueryAsync("select count(*) as n from events")));
    }

    [Fact]
    public async Task Query_CountsEvents()
    {
        var result = await Store.QueryAsync("select count(*) as n from events");

        Assert.Equal(["n"], result.Columns);
        Assert.Equal([ContractEvents.Events.ToString()], Normal.Rows(result));
    }

    [Fact]
    public async Task Query_GroupsEventsByName_NullLast()
    {
        var result = await Store.QueryAsync("select event, count(*) as n from events group by event order by event");

        Assert.Equal(["event", "n"], result.Columns);
        Assert.Equal(ContractEvents.EventsPerName, Normal.Rows(result));
    }

    [Fact]
    public async Task StoredEvents_AreTheFirstOccurrences_Exactly()
    {
        var result = await Store.QueryAsync(ExactEventsSql);

        Assert.Equal([.. EventColumn.All.Select(c => c is "timestamp" or "received_at" ? c + "_us" : c)], result.Columns);
        var expected = ContractEvents.Stored.Select(e => Normal.Row(
        [
            e.MessageId, e.Type.Name(), e.Name, Micros(e.Timestamp), Micros(e.ReceivedAt), e.AnonymousId, e.UserId, e.PreviousId,
            e.GroupId, e.Channel, e.Source, e.Medium, e.Campaign, e.Content, e.Term, e.Referrer, e.Revenue, e.Currency, e.Properties,
        ]));
        Assert.Equal(expected, Normal.Rows(result));
    }

    [Fact]
    public async Task IdentityLinks_AreEveryPairAndAlias()
    {
        var links = await Store.ReadIdentityLinksAsync();

        Assert.Equal(ContractEvents.Links.Count, links.Count);
        Assert.Equal(ContractEvents.Links.ToHashSet(), links.ToHashSet());
    }

    [Fact]
    public async Task IdentityMap_HoldsEveryLinkedId()
    {
        var rows = await Store.QueryAsync("select kind, id, person_id from identities order by kind, id");

        Assert.Equal(ContractEvents.IdentityMap.Count, Fixture.IdentityRows);
        Assert.Equal(ContractEvents.IdentityMap, Normal.Rows(rows));
    }

    [Fact]
    public async Task IdentityMap_RebuiltAgain_IsTheSame()
    {
        Assert.Equal(ContractEvents.IdentityMap.Count, await IdentityStitcher.RebuildAsync(Store));

        Assert.Equal(ContractEvents.IdentityMap, Normal.Rows(await Store.QueryAsync("select kind, id, person_id from identities order by kind, id")));
    }

    [Fact]
    public async Task Query_WithARowCap_RefusesLargerResultsAndAnswersSmallerOnes()
    {
        var total = Convert.ToInt64((await Store.QueryAsync("select count(*) from events")).Rows[0][0]);
        Assert.True(total > 3, "the contract events should hold more than 3 events");

        var ex = await Assert.ThrowsAsync<StoreException>(() => Store.QueryAsync("select message_id from events", maxRows: 3));
        Assert.Contains("3", ex.Message, StringComparison.Ordinal);

        var capped = await Store.QueryAsync("select message_id from events order by message_id limit 3", maxRows: 3);
        Assert.Equal(3, capped.Rows.Count);
        var all = await Store.QueryAsync("select message_id from events", maxRows: (int)total);
        Assert.Equal(total, all.Rows.Count);
    }

    [Fact]
    public async Task PersonEvents_CountPerPerson()
    {
        var rows = await Store.QueryAsync("select person_id, count(*) as n from person_events group by person_id order by person_id");

        Assert.Equal(ContractEvents.EventsPerPerson, Normal.Rows(rows));
    }

    [Fact]
    public async Task LateIdentify_MakesEarlierAnonymousEventsThePersons_OnBothDevices()
    {
        var rows = await Store.QueryAsync("select message_id from person_events where person_id = 'alice' order by message_id");

        Assert.Equal(["b1-01", "b1-02", "b1-03", "b1-04", "b2-01", "b2-02", "b2-03"], Normal.Rows(rows));
    }

    [Fact]
    public async Task Persons_ListTheirIds()
    {
        var rows = await Store.QueryAsync("select person_id, events, user_ids, anonymous_ids from persons order by person_id");

        Assert.Equal(
            [
                "alice|7|[alice]|[dev-alice-laptop, dev-alice-mobile]",
                "anon:dev-dave|2|[]|[dev-dave]",
                "bob|5|[bob, bob-old]|[dev-bob]",
                "carol|3|[carol]|[dev-carol]",
                "eve|2|[eve]|[]",
            ],
            Normal.Rows(rows));
    }

    [Fact]
    public async Task Summary_HeadlineNumbers()
    {
        var summary = await Store.SummarizeAsync(ContractEvents.ConversionEvents);

        Assert.Equal(ContractEvents.Events, summary.Events);
        Assert.Equal(ContractEvents.People, summary.People);
        Assert.Equal(ContractEvents.Channels, summary.Channels);
        Assert.Equal(ContractEvents.Conversions, summary.Conversions);
        Assert.Equal(ContractEvents.Revenue, summary.Revenue, 9);
        Assert.Equal(ContractEvents.FirstEvent, summary.FirstEvent);
        Assert.Equal(ContractEvents.LastEvent.Ticks, summary.LastEvent!.Value.Ticks);
    }

    [Fact]
    public async Task Summary_NoConversionEvents_CountsNone()
    {
        var summary = await Store.SummarizeAsync([]);

        Assert.Equal(0, summary.Conversions);
        Assert.Equal(ContractEvents.Events, summary.Events);
    }

    [Fact]
    public async Task Summary_ConversionNamesAreData_NotSql()
    {
        var summary = await Store.SummarizeAsync(["purchase", "x') or ('1'='1", "it's \\ \"odd\""]);

        Assert.Equal(3, summary.Conversions);
    }

    [Fact]
    public async Task Summary_OfAnEmptyStore_IsZeroWithNoTimes()
    {
        var empty = await Fixture.NewStoreAsync();

        Assert.Equal(new StoreSummary(0, 0, 0, 0, 0, null, null), await empty.SummarizeAsync(ContractEvents.ConversionEvents));
    }

    [Theory]
    [InlineData("delete from events")]
    [InlineData("drop table events")]
    [InlineData("insert into identities (kind, id, person_id) values ('user', 'x', 'x')")]
    [InlineData("create table sneaky (a int)")]
    [InlineData("alter table events add column x int")]
    [InlineData("select 1; drop table events")]
    [InlineData("with x as (select 1) delete from events")]
    public async Task Query_RefusesAnythingButOneReadOnlyQuery(string sql)
    {
        var store = Store;

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync(sql));

        Assert.StartsWith("pretzel sql", ex.Message, StringComparison.Ordinal);
        Assert.Equal([ContractEvents.Events.ToString()], Normal.Rows(await Store.QueryAsync("select count(*) as n from events")));
        Assert.Equal(ContractEvents.IdentityMap.Count.ToString(), Normal.Rows(await Store.QueryAsync("select count(*) as n from identities"))[0]);
    }

    [Fact]
    public async Task Query_Error_IsAStoreExceptionNamingTheProblem()
    {
        var store = Store;

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync("select * from no_such_table"));

        Assert.Contains("no_such_table", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_BatchesCommitTogether_AndDisposingUncommittedStoresNothing()
    {
        var store = await Fixture.NewStoreAsync();

        using (var abandoned = store.OpenWriter())
        {
            abandoned.Write(ContractEvents.Batch1);
        }

        Assert.Equal(["0"], Normal.Rows(await store.QueryAsync("select count(*) as n from events")));

        AppendResult result;
        using (var writer = store.OpenWriter())
        {
            writer.Write(ContractEvents.Batch1);
            writer.Write(ContractEvents.Batch2);
            result = await writer.CommitAsync();
        }

        // Within one writer (one chunk) batch 2's re-sent ids are caught like in-batch duplicates.
        Assert.Equal(new AppendResult(ContractEvents.Events, 4), result);
        Assert.Equal([ContractEvents.Events.ToString()], Normal.Rows(await store.QueryAsync("select count(*) as n from events")));
    }

    private static long Micros(DateTime t) => (t.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
