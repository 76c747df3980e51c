using System.Text;
using Pretzel.Server.Tests.Support;
using Xunit.Abstractions;

namespace Pretzel.Server.Tests.EndToEnd;

/// <summary>
/// What a SIGKILL can leave in a project's <c>wal/</c> folder, laid out on purpose: a segment created but
/// never written, one holding only half a line, one with complete lines and a torn tail, and a second copy
/// of a segment (as when the store committed a segment and the process died before deleting it). A start
/// on that folder must move every complete line into the store once, drop the torn lines, clear the log,
/// and keep going with new segments.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LeftoverLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_start_takes_every_complete_line_of_a_torn_log_once_and_drops_the_torn_ones()
    {
        using var data = new TempFolder();
        var (writeKey, readKey) = await ServerProcess.CreateProjectAsync(data.Path, "shop");
        var wal = Path.Combine(data.Path, "shop", "wal");
        var requests = new List<LoadRequest>();

        // A server that never moves anything into the store (flush interval 60 s), killed after 3 requests.
        await using (var server = await ServerProcess.StartAsync(data.Path, "--flush-interval", "60"))
        {
            for (var i = 0; i < 3; i++)
            {
                var r = await BatchLoad.SendOneAsync(server.Url, writeKey);
                Assert.True(r.Acked, $"request {i} was refused: {r.Error}");
                requests.Add(r);
            }

            await server.KillAsync();
        }

        var segment = Assert.Single(Directory.GetFiles(wal, "*.jsonl"));
        var bytes = await File.ReadAllBytesAsync(segment);
        Assert.Equal((byte)'\n', bytes[^1]);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3 * BatchLoad.EventsPerRequest, lines.Length);
        var torn = lines[0].Replace(BatchLoad.MessageId(requests[0].Id, 0), "torn-1", StringComparison.Ordinal);
        var half = Encoding.UTF8.GetBytes(torn[..(torn.Length / 2)]);
        File.Delete(segment);
        await File.WriteAllBytesAsync(Path.Combine(wal, "000000000010.jsonl"), []);
        await File.WriteAllBytesAsync(Path.Combine(wal, "000000000011.jsonl"), half);
        await File.WriteAllBytesAsync(Path.Combine(wal, "000000000012.jsonl"), [.. bytes, .. half]);
        await File.WriteAllBytesAsync(Path.Combine(wal, "000000000013.jsonl"), bytes);

        await using (var server = await ServerProcess.StartAsync(data.Path))
        {
            using var query = new QueryClient(server.Url, readKey);
            var waited = await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(30));
            var stored = LoadCheck.Parse(await query.SqlAsync(LoadCheck.PerRequestSql));
            var (acked, storedEvents) = LoadCheck.AssertAckedStored(requests, stored, "after a start on the torn log");
            Assert.Equal(acked, storedEvents);
            Assert.Equal(acked, await query.ScalarAsync("select count(*) from events"));
            Assert.Equal(0, await query.ScalarAsync("select count(*) from events where message_id like 'torn%'"));
            var left = Directory.GetFiles(wal);
            Assert.True(left.Length == 0, "the log should be empty once the backlog is 0, but holds " + string.Join(", ", left.Select(Path.GetFileName)));
            var rejects = Path.Combine(data.Path, "shop", "wal-rejects");
            var rejected = Directory.Exists(rejects) ? Directory.GetFiles(rejects).Where(f => new FileInfo(f).Length > 0).ToList() : [];
            Assert.True(rejected.Count == 0, "lines were rejected: " + string.Join(", ", rejected.Select(Path.GetFileName)));

            // New requests go to new segments and are stored as usual.
            var more = await BatchLoad.SendOneAsync(server.Url, writeKey);
            Assert.True(more.Acked, more.Error);
            requests.Add(more);
            await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(30));
            stored = LoadCheck.Parse(await query.SqlAsync(LoadCheck.PerRequestSql));
            (acked, storedEvents) = LoadCheck.AssertAckedStored(requests, stored, "after one more request");
            Assert.Equal(acked, storedEvents);
            output.WriteLine($"torn log taken in {waited.TotalSeconds:0.0} s; {storedEvents} events stored for {acked} acknowledged");
        }
    }
}
