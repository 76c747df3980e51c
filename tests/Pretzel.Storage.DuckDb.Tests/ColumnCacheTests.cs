using Pretzel.Core.Events;
using Pretzel.Core.Identity;

namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>
/// A store file's event columns are kept beside it and reused only while the store is unchanged: new
/// events, a new identity map or a new store at the same path read them afresh; a damaged file is ignored.
/// </summary>
public sealed class ColumnCacheTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private string CacheFile => DuckDbColumnCache.PathFor(_temp.DbPath);

    private static void AssertSame(EventColumns expected, EventColumns actual)
    {
        Assert.Equal(expected.PersonIds, actual.PersonIds);
        Assert.Equal(expected.PersonStart, actual.PersonStart);
        Assert.Equal(expected.Micros, actual.Micros);
        Assert.Equal(expected.Types, actual.Types);
        Assert.Equal(expected.RowKeys, actual.RowKeys);
        foreach (var field in (string[])["event", "channel", "source", "medium", "campaign"])
        {
            Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => expected.Column(field)[i]), Enumerable.Range(0, actual.Count).Select(i => actual.Column(field)[i]));
        }
    }

    [Fact]
    public async Task Columns_are_kept_beside_the_store_and_read_back_alike()
    {
        using (var store = DuckDbEventStore.Open(_temp.DbPath))
        {
            await store.AppendAsync([.. TestEvents.Many(50), TestEvents.Track("x-1", "purchase", "a-2", "u-1", 5)]);
        }

        EventColumns first;
        using (var store = DuckDbEventStore.Open(_temp.DbPath, readOnly: true))
        {
            first = await store.ReadEventColumnsAsync();
        }

        Assert.True(File.Exists(CacheFile));
        var written = File.GetLastWriteTimeUtc(CacheFile);
        using (var store = DuckDbEventStore.Open(_temp.DbPath, readOnly: true))
        {
            var again = await store.ReadEventColumnsAsync();
            AssertSame(first, again);
        }

        Assert.Equal(written, File.GetLastWriteTimeUtc(CacheFile));
        Assert.Equal(51, first.Count);
    }

    [Fact]
    public async Task New_events_and_a_new_identity_map_are_seen()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath);
        await store.AppendAsync([TestEvents.Track("m-1", anonymousId: "a-1"), TestEvents.Track("m-2", anonymousId: "a-2", minutes: 1)]);
        Assert.Equal(2, (await store.ReadEventColumnsAsync()).PersonCount);

        await store.AppendAsync([TestEvents.Track("m-3", anonymousId: "a-3", minutes: 2)]);
        Assert.Equal(3, (await store.ReadEventColumnsAsync()).Count);

        await store.ReplaceIdentityMapAsync([new PersonAssignment(new Identity(IdentityKind.Anonymous, "a-1"), "u-9"), new PersonAssignment(new Identity(IdentityKind.Anonymous, "a-2"), "u-9")]);
        var merged = await store.ReadEventColumnsAsync();
        Assert.Equal(2, merged.PersonCount);
        Assert.Contains("u-9", merged.PersonIds);
    }

    [Fact]
    public async Task A_new_store_at_the_same_path_does_not_reuse_the_old_columns()
    {
        using (var store = DuckDbEventStore.Open(_temp.DbPath))
        {
            await store.AppendAsync([TestEvents.Track("m-1", "signup")]);
            _ = await store.ReadEventColumnsAsync();
        }

        File.Delete(_temp.DbPath);
        using (var store = DuckDbEventStore.Open(_temp.DbPath))
        {
            await store.AppendAsync([TestEvents.Track("m-1", "purchase")]);
            var columns = await store.ReadEventColumnsAsync();
            Assert.Equal("purchase", columns.Event[0]);
        }
    }

    [Fact]
    public async Task A_damaged_file_is_ignored_and_replaced()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath);
        await store.AppendAsync(TestEvents.Many(20));
        var expected = await store.ReadEventColumnsAsync();
        var bytes = File.ReadAllBytes(CacheFile);
        File.WriteAllBytes(CacheFile, bytes[..(bytes.Length / 2)]);
        AssertSame(expected, await store.ReadEventColumnsAsync());
        Assert.Equal(bytes.Length, new FileInfo(CacheFile).Length);
    }
}
