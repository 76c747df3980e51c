using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Pretzel.Server.Tests.Support;
using Xunit.Abstractions;

namespace Pretzel.Server.Tests.EndToEnd;

/// <summary>
/// A 200 means stored, even when the server is killed with SIGKILL right after answering.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Loaders = 6;

    /// <summary>
    /// Concurrent loaders post batches and the server is killed mid-load four times, at different moments
    /// (one of them right after start-up, while the log left by the previous kill is being moved into the
    /// store); after a last restart every acknowledged message id must be in the store, once.
    /// </summary>
    /// <remarks>
    /// The first request goes through a server that is then stopped gracefully, so the store already knows
    /// the load's event name and channel when the kills start: storing a new ENUM value is a schema change
    /// in the store, and a SIGKILL after one is the subject of
    /// <see cref="Sigkill_after_events_with_new_names_were_stored_leaves_a_store_that_opens_again"/>. Here the
    /// write-ahead log, the mover and the dedup are under test.
    /// </remarks>
    [Fact]
    public async Task Sigkill_at_any_moment_loses_no_acknowledged_event_and_stores_none_twice()
    {
        var total = Stopwatch.StartNew();
        using var data = new TempFolder();
        var (writeKey, readKey) = await ServerProcess.CreateProjectAsync(data.Path, "shop");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"random seed {seed}, data {data.Path}");
        var requests = new List<LoadRequest>();

        await using (var warm = await ServerProcess.StartAsync(data.Path))
        {
            var first = await BatchLoad.SendOneAsync(warm.Url, writeKey);
            Assert.True(first.Acked, $"the first request was refused: {first.Error}\n{warm.Output}");
            requests.Add(first);
            Assert.Equal(0, await warm.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        // Round 1: the mover runs every second, so the kill lands with events in the store, in sealed
        // segments and in the segment being written.
        var rounds = new List<Round>
        {
            await LoadAndKillAsync(1, data.Path, writeKey, readKey, [], loadBefore: Between(random, 1.5, 2.5)),

            // Round 2: the mover never runs (flush interval 60 s): everything acknowledged stays in the log.
            await LoadAndKillAsync(2, data.Path, writeKey, readKey, ["--flush-interval", "60"], loadBefore: Between(random, 1.2, 2.0)),

            // Round 3: right after start-up, while the big log of round 2 is moved into the store (the mover
            // starts on it at once; moving ~100k events takes seconds), with new requests arriving.
            await LoadAndKillAsync(3, data.Path, writeKey, readKey, ["--flush-interval", "0.2"], loadBefore: Between(random, 0.6, 1.2), replay: true),

            // Round 4: the log left by rounds 2 and 3 is moved again while new requests come in, moves every
            // 0.2 s overlapping the appends; killed mid-load.
            await LoadAndKillAsync(4, data.Path, writeKey, readKey, ["--flush-interval", "0.2"], loadBefore: Between(random, 1.6, 2.4)),
        };
        requests.AddRange(rounds.SelectMany(r => r.Requests));

        // Final start: everything left in the log goes into the store.
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var query = new QueryClient(server.Url, readKey);
        var waited = await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(60));
        var stored = LoadCheck.Parse(await query.SqlAsync(LoadCheck.PerRequestSql));
        var (acked, storedEvents) = LoadCheck.AssertAckedStored(requests, stored, $"after {rounds.Count} SIGKILLs and a restart");
        var rows = await query.ScalarAsync("select count(*) from events");
        var distinct = await query.ScalarAsync("select count(distinct message_id) from events");
        output.WriteLine($"final: backlog 0 after {waited.TotalSeconds:0.0} s; acknowledged {acked} events ({requests.Count(r => r.Acked)} requests), " +
            $"stored {storedEvents} load events ({storedEvents - acked} more from requests cut by a kill); rows in events {rows}, distinct message ids {distinct}; " +
            $"total {total.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(rows, distinct);
        Assert.Empty(Directory.GetFiles(Path.Combine(data.Path, "shop", "wal"), "*.jsonl"));
        var replay = rounds.Single(r => r.Replay);
        Assert.True(replay.BacklogAtStart > 0, $"round 3 should have started with the log of round 2 to replay, backlog {replay.BacklogAtStart}");
    }

    /// <summary>
    /// Events whose event name, type, channel, campaign or currency the store has never seen extend the
    /// store's ENUM types (a schema change). A SIGKILL after such events were stored (backlog 0, the log
    /// segment deleted) must leave a store that opens again and still holds them.
    /// </summary>
    [Fact]
    public async Task Sigkill_after_events_with_new_names_were_stored_leaves_a_store_that_opens_again()
    {
        using var data = new TempFolder();
        var (writeKey, readKey) = await ServerProcess.CreateProjectAsync(data.Path, "shop");
        await using (var server = await ServerProcess.StartAsync(data.Path))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
            const string body = """
                {"batch": [
                  {"type": "track", "event": "Signed Up", "userId": "u-1", "messageId": "new-1", "context": {"campaign": {"source": "newsletter", "medium": "email", "name": "autumn"}}},
                  {"type": "track", "event": "Order Completed", "userId": "u-1", "messageId": "new-2", "properties": {"revenue": 12.5, "currency": "EUR"}}
                ]}
                """;
            using var response = await http.PostAsync("v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(200, (int)response.StatusCode);
            using var query = new QueryClient(server.Url, readKey);
            await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, await query.ScalarAsync("select count(*) from events"));
            await server.KillAsync();
        }

        ServerProcess restarted;
        try
        {
            restarted = await ServerProcess.StartAsync(data.Path);
        }
        catch (InvalidOperationException ex)
        {
            throw new Xunit.Sdk.XunitException("after a SIGKILL that followed new event names, the server no longer starts on its data:\n" + FirstLines(ex.Message, 8));
        }

        await using (restarted)
        {
            using var query = new QueryClient(restarted.Url, readKey);
            await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(30));
            var rows = await query.SqlAsync("select message_id, event, campaign, currency from events order by message_id");
            Assert.Equal(["new-1", "new-2"], rows.Select(r => r.GetProperty("message_id").GetString()));
            Assert.Equal(["Signed Up", "Order Completed"], rows.Select(r => r.GetProperty("event").GetString()));
            Assert.Equal("autumn", rows[0].GetProperty("campaign").GetString());
            Assert.Equal("EUR", rows[1].GetProperty("currency").GetString());
        }
    }

    private async Task<Round> LoadAndKillAsync(int round, string dataDirectory, string writeKey, string readKey, string[] serverArgs,
        TimeSpan loadBefore, bool replay = false)
    {
        // The log left by the previous kill, counted on disk before the start (the server begins moving it at once).
        var walFolder = Path.Combine(dataDirectory, "shop", "wal");
        var backlogAtStart = replay && Directory.Exists(walFolder)
            ? Directory.GetFiles(walFolder, "*.jsonl").Sum(f => File.ReadLines(f).LongCount())
            : -1;
        var started = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(dataDirectory, serverArgs);
        var listening = started.Elapsed;
        using var query = new QueryClient(server.Url, readKey);
        await using var load = BatchLoad.Start(server.Url, writeKey, Loaders);
        if (round <= 2)
        {
            // These rounds must see acknowledged requests: on a loaded machine (round 2 also moves round 1's log at
            // start) the first answer can take longer than the random load time, so that time counts from it.
            var firstAck = Stopwatch.StartNew();
            while (load.AckedRequests == 0 && firstAck.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }
        }

        await Task.Delay(loadBefore);
        var backlogAtKill = replay ? await query.BacklogAsync() : -1;
        var killed = server.KillAsync(); // the signal is sent before this returns; then no new requests
        var requests = await load.StopAsync();
        await killed;
        var wal = new DirectoryInfo(Path.Combine(dataDirectory, "shop", "wal")).GetFiles("*.jsonl");
        var refused = requests.Where(r => !r.Acked).GroupBy(r => r.Error!.Split(':')[0]).Select(g => $"{g.Count()}× {g.Key}");
        output.WriteLine($"round {round}: listening after {listening.TotalSeconds:0.0} s, SIGKILL after {loadBefore.TotalSeconds:0.00} s of load; " +
            $"requests {requests.Count}, acknowledged {requests.Count(r => r.Acked)} ({requests.Count(r => r.Acked) * BatchLoad.EventsPerRequest} events), " +
            $"not acknowledged: [{string.Join(", ", refused)}]; log left: {wal.Length} segments, {wal.Sum(f => f.Length) / 1024} KB" +
            (replay ? $"; log to replay at start {backlogAtStart} events, backlog just before the kill {backlogAtKill}" : ""));
        Assert.True(server.HasExited);
        if (round <= 2)
        {
            // Rounds 3 and 4 start with a big log to move: the first answers can then take a second on a
            // small machine (the move and the JIT share the cores), so they may end with none.
            Assert.True(requests.Any(r => r.Acked), $"round {round}: no request was acknowledged before the kill\n{server.Output}");
        }
        return new Round(requests, replay, backlogAtStart);
    }

    private static TimeSpan Between(Random random, double minSeconds, double maxSeconds) =>
        TimeSpan.FromSeconds(minSeconds + (random.NextDouble() * (maxSeconds - minSeconds)));

    private static string FirstLines(string text, int lines) => string.Join('\n', text.Split('\n').Take(lines));

    private sealed record Round(IReadOnlyList<LoadRequest> Requests, bool Replay, long BacklogAtStart);
}
