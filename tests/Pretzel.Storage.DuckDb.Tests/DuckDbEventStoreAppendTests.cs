using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb.Tests;

public sealed class DuckDbEventStoreAppendTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AppendAsync_SameEventsTwice_SecondCountsDuplicatesAndStoresOnce()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath);
        var events = TestEvents.Many(250);

        var first = await store.AppendAsync(events);
        var second = await store.AppendAsync(events);

        Assert.Equal(new AppendResult(250, 0), first);
        Assert.Equal(new AppendResult(0, 250), second);
        Assert.Equal(250L, await Count(store, "select count(*) from events"));
        Assert.Equal(250L, await Count(store, "select count(distinct message_id) from events"));
    }

    [Fact]
    public async Task AppendAsync_OverlappingBatch_WritesOnlyTheNewEvents()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        await store.AppendAsync(TestEvents.Many(10));

        var result = await store.AppendAsync(TestEvents.Many(15));

        Assert.Equal(new AppendResult(5, 10), result);
        Assert.Equal(15L, await Count(store, "select count(*) from events"));
    }

    [Fact]
    public async Task AppendAsync_DuplicatesInsideOneBatch_StoredOnceAndFirstWins()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        var batch = new[]
        {
            TestEvents.Track("dup", name: "first"),
            TestEvents.Track("other", name: "x"),
            TestEvents.Track("dup", name: "second"),
            TestEvents.Track("dup", name: "third"),
        };

        var result = await store.AppendAsync(batch);

        Assert.Equal(new AppendResult(2, 2), result);
        var rows = await store.QueryAsync("select event from events where message_id = 'dup'");
        Assert.Equal("first", Assert.Single(rows.Rows)[0]);
    }

    [Fact]
    public async Task AppendAsync_AfterReopen_StillRecognisesDuplicates()
    {
        using (var store = DuckDbEventStore.Open(_temp.DbPath))
        {
            await store.AppendAsync(TestEvents.Many(20));
        }

        using var reopened = DuckDbEventStore.Open(_temp.DbPath);
        var result = await reopened.AppendAsync(TestEvents.Many(20));

        Assert.Equal(new AppendResult(0, 20), result);
        Assert.Equal(20L, await Count(reopened, "select count(*) from events"));
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_WritesNothing()
    {
        using var store = DuckDbEventStore.Open(":memory:");

        var result = await store.AppendAsync([]);

        Assert.Equal(new AppendResult(0, 0), result);
    }

    [Fact]
    public async Task OpenWriter_DuplicatesAcrossBatchesOfOneWriter_StoredOnceAndCounted()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        await store.AppendAsync([TestEvents.Track("stored-before")]);

        AppendResult result;
        using (var writer = store.OpenWriter())
        {
            writer.Write([TestEvents.Track("a", name: "a1"), TestEvents.Track("b")]);
            writer.Write([TestEvents.Track("a", name: "a2"), TestEvents.Track("c"), TestEvents.Track("stored-before")]);
            result = await writer.CommitAsync();
        }

        Assert.Equal(new AppendResult(3, 2), result);
        Assert.Equal(4L, await Count(store, "select count(*) from events"));
        var a = await store.QueryAsync("select event from events where message_id = 'a'");
        Assert.Equal("a1", Assert.Single(a.Rows)[0]);
    }

    [Fact]
    public async Task OpenWriter_DisposedWithoutCommit_StoresNothing()
    {
        using var store = DuckDbEventStore.Open(":memory:");

        using (var writer = store.OpenWriter())
        {
            writer.Write(TestEvents.Many(5));
        }

        Assert.Equal(0L, await Count(store, "select count(*) from events"));
    }

    [Fact]
    public async Task OpenWriter_Commit_LeavesNoFilesBesideTheStore()
    {
        // Chunks are staged in memory and appended: nothing is written beside the store but DuckDB's own files.
        using var temp = new TempStore();
        using var store = DuckDbEventStore.Open(temp.DbPath);
        var before = Directory.GetFiles(temp.Folder).Select(Path.GetFileName).Where(f => !f!.StartsWith(Path.GetFileName(temp.DbPath), StringComparison.Ordinal)).ToList();

        using (var writer = store.OpenWriter())
        {
            writer.Write(TestEvents.Many(5, "staging-"));
            await writer.CommitAsync();
        }

        var after = Directory.GetFiles(temp.Folder).Select(Path.GetFileName).Where(f => !f!.StartsWith(Path.GetFileName(temp.DbPath), StringComparison.Ordinal)).ToList();
        Assert.Equal(before, after);
        Assert.Equal(5L, await Count(store, "select count(*) from events where message_id like 'staging-%'"));
    }

    [Fact]
    public async Task SummarizeAsync_CountsEventsConversionsRevenueAndRange()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        await store.AppendAsync(
        [
            TestEvents.Track("1", name: "page_view", anonymousId: "a", minutes: 0) with { Channel = "email" },
            TestEvents.Track("2", name: "purchase", anonymousId: "a", minutes: 5) with { Revenue = 10.5, Channel = "email" },
            TestEvents.Track("3", name: "purchase", anonymousId: "b", minutes: 9) with { Revenue = -2.5, Channel = "paid_search" },
        ]);

        var summary = await store.SummarizeAsync(["purchase"]);

        Assert.Equal(new StoreSummary(3, 2, 2, 2, 8.0, TestEvents.T0, TestEvents.T0.AddMinutes(9)), summary);
    }

    [Fact]
    public async Task SummarizeAsync_EmptyStore_ReturnsZerosAndNoRange()
    {
        using var store = DuckDbEventStore.Open(":memory:");

        var summary = await store.SummarizeAsync(["purchase", "order_completed"]);

        Assert.Equal(new StoreSummary(0, 0, 0, 0, 0, null, null), summary);
    }

    [Theory]
    [InlineData("purchase", "order_completed")]
    [InlineData("order_completed")]
    [InlineData("signup")]
    public async Task SummarizeAsync_ConversionEventsPartlyOrNotInStore_CountsThoseThatAre(params string[] conversions)
    {
        using var store = DuckDbEventStore.Open(":memory:");
        await store.AppendAsync([TestEvents.Track("1", name: "page_view"), TestEvents.Track("2", name: "purchase") with { Revenue = 5 }]);

        var summary = await store.SummarizeAsync(conversions);

        Assert.Equal(conversions.Contains("purchase") ? 1 : 0, summary.Conversions);
        Assert.Equal(2, summary.Events);
    }

    private static async Task<long> Count(DuckDbEventStore store, string sql) =>
        Convert.ToInt64((await store.QueryAsync(sql)).Rows[0][0]);
}
