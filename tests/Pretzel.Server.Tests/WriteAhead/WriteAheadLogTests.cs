using System.Text;
using Pretzel.Server.Collect;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.WriteAhead;

public sealed class WriteAheadLogTests
{
    private static byte[] Lines(int request, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append("{\"message_id\":\"r").Append(request).Append('-').Append(i).Append("\"}\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static List<string> ReadAll(IEnumerable<string> paths) =>
        [.. paths.SelectMany(File.ReadAllLines)];

    [Fact]
    public async Task Concurrent_appends_are_all_on_disk_once_acknowledged_and_no_line_is_torn()
    {
        using var folder = new TempFolder();
        var log = new WriteAheadLog(folder.File("wal"), maxQueuedRequests: 10_000);
        var tasks = new List<Task>();
        var expected = new HashSet<string>();
        await Parallel.ForAsync(0, 200, async (r, _) =>
        {
            Assert.True(log.TryAppend(Lines(r, 1 + (r % 7)), 1 + (r % 7), out var durable));
            await durable;
        });
        for (var r = 0; r < 200; r++)
        {
            for (var i = 0; i < 1 + (r % 7); i++)
            {
                expected.Add($"{{\"message_id\":\"r{r}-{i}\"}}");
            }
        }

        var sealedSegments = log.Seal();
        Assert.Equal(expected.Count, sealedSegments.Sum(s => s.Events));
        var lines = ReadAll(sealedSegments.Select(s => s.Path));
        Assert.Equal(expected.Count, lines.Count);
        Assert.True(expected.SetEquals(lines));
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Released_segments_are_deleted_and_later_appends_go_to_a_new_segment()
    {
        using var folder = new TempFolder();
        var log = new WriteAheadLog(folder.File("wal"), 100);
        Assert.True(log.TryAppend(Lines(1, 3), 3, out var first));
        await first;
        var sealed1 = log.Seal();
        Assert.Single(sealed1);
        log.Release(sealed1[0].Path);
        Assert.False(File.Exists(sealed1[0].Path));
        Assert.Empty(log.Seal());

        Assert.True(log.TryAppend(Lines(2, 2), 2, out var second));
        await second;
        var sealed2 = log.Seal();
        Assert.Single(sealed2);
        Assert.NotEqual(sealed1[0].Path, sealed2[0].Path);
        Assert.Equal(2, sealed2[0].Events);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task A_torn_tail_left_by_a_crash_is_cut_and_every_complete_line_recovered()
    {
        using var folder = new TempFolder();
        var dir = folder.File("wal");
        var log = new WriteAheadLog(dir, 100);
        Assert.True(log.TryAppend(Lines(1, 5), 5, out var durable));
        await durable;
        await log.DisposeAsync(); // (releases the file, as a dead process would)

        // The process dies while writing the next request: half a line reaches the file.
        var open = Directory.GetFiles(dir).Single();
        await File.AppendAllTextAsync(open, "{\"message_id\":\"r2-0\"}\n{\"message_id\":\"r2-");

        var recovered = new WriteAheadLog(dir, 100);
        Assert.Equal(6, recovered.RecoveredEvents);
        var segments = recovered.Seal();
        var lines = ReadAll(segments.Select(s => s.Path));
        Assert.Equal(6, lines.Count);
        Assert.Equal("{\"message_id\":\"r2-0\"}", lines[^1]);
        Assert.EndsWith("\n", await File.ReadAllTextAsync(open), StringComparison.Ordinal);

        // New appends never reuse a recovered segment's name.
        Assert.True(recovered.TryAppend(Lines(3, 1), 1, out var next));
        await next;
        var all = recovered.Seal();
        Assert.Equal(2, all.Count);
        Assert.Equal(all.Count, all.Select(s => s.Path).Distinct().Count());
        await recovered.DisposeAsync();
    }

    [Fact]
    public void Repair_of_a_segment_with_no_complete_line_leaves_it_empty()
    {
        using var folder = new TempFolder();
        var path = folder.File("000000000007.jsonl");
        File.WriteAllText(path, "{\"message_id\":\"torn");
        Assert.Equal(0, WriteAheadLog.Repair(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task A_full_queue_refuses_instead_of_growing()
    {
        using var folder = new TempFolder();
        var log = new WriteAheadLog(folder.File("wal"), maxQueuedRequests: 1);
        var refused = 0;
        var pending = new List<Task>();
        for (var i = 0; i < 2000; i++)
        {
            if (log.TryAppend(Lines(i, 50), 50, out var durable))
            {
                pending.Add(durable);
            }
            else
            {
                refused++;
            }
        }

        await Task.WhenAll(pending);
        Assert.True(refused > 0, "a queue of one request should refuse some of 2,000 appends made without waiting");
        Assert.Equal(pending.Count * 50L, log.Seal().Sum(s => s.Events));
        await log.DisposeAsync();
    }
}
