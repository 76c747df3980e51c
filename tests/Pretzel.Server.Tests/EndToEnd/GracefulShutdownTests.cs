using System.Diagnostics;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using Xunit.Abstractions;

namespace Pretzel.Server.Tests.EndToEnd;

/// <summary>
/// SIGTERM under load: the requests in flight are answered, the server exits 0, and everything it
/// acknowledged is already in the store file when the process is gone (nothing left in the log).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const int Loaders = 6;

    [Fact]
    public async Task Sigterm_under_load_answers_the_requests_in_flight_and_leaves_every_acknowledged_event_in_the_store()
    {
        using var data = new TempFolder();
        var (writeKey, readKey) = await ServerProcess.CreateProjectAsync(data.Path, "shop");
        var seed = Environment.TickCount;
        var loadFor = TimeSpan.FromSeconds(1.2 + (new Random(seed).NextDouble() * 1.0));
        var storePath = Path.Combine(data.Path, "shop", "events.duckdb");

        IReadOnlyList<LoadRequest> requests;
        long signalled;
        int exitCode;
        TimeSpan stopping;
        await using (var server = await ServerProcess.StartAsync(data.Path))
        {
            await using var load = BatchLoad.Start(server.Url, writeKey, Loaders);

            // A busy machine may take a while for the first answer (start-up, first fsync): the timed load starts from it.
            var firstAck = Stopwatch.StartNew();
            while (load.AckedRequests == 0 && firstAck.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            await Task.Delay(loadFor);
            Assert.True(load.AckedRequests > 0, "no request was acknowledged before the SIGTERM:\n" + server.Output);
            signalled = Stopwatch.GetTimestamp();
            exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(45));
            stopping = Stopwatch.GetElapsedTime(signalled);
            requests = await load.StopAsync();
            Assert.True(exitCode == 0, $"pretzel serve exited {exitCode} after SIGTERM:\n{server.Output}");
        }

        var before = requests.Where(r => r.StartedTicks < signalled).ToList();
        var cut = before.Where(r => !r.Acked).ToList();
        var acked = requests.Count(r => r.Acked);
        output.WriteLine($"seed {seed}: SIGTERM after {loadFor.TotalSeconds:0.00} s of load; exit {exitCode} after {stopping.TotalSeconds:0.00} s; " +
            $"requests {requests.Count} ({before.Count} started before the signal), acknowledged {acked} ({acked * BatchLoad.EventsPerRequest} events); " +
            $"started before the signal but not acknowledged: {cut.Count}; after the signal: " +
            string.Join(", ", requests.Where(r => r.StartedTicks >= signalled).GroupBy(r => r.Acked ? "200" : r.Error!.Split(':')[0]).Select(g => $"{g.Count()}× {g.Key}")));
        Assert.True(cut.Count == 0,
            $"{cut.Count} requests sent before the SIGTERM were not answered with 200, e.g.:\n" +
            string.Join('\n', cut.Take(5).Select(r => $"request {r.Id}: {r.Error} (started {Stopwatch.GetElapsedTime(r.StartedTicks, signalled).TotalMilliseconds:0} ms before the signal)")));

        // The server is gone: the store file is free, and already holds everything (the log is empty).
        Assert.Empty(Directory.GetFiles(Path.Combine(data.Path, "shop", "wal"), "*.jsonl"));
        Assert.False(File.Exists(Path.Combine(data.Path, "server.json")), "server.json should be removed when the server stops");
        var (code, stdout, stderr) = await ServerProcess.RunCliAsync("sql", "--db", storePath, "--format", "json", LoadCheck.PerRequestSql);
        Assert.True(code == 0, $"pretzel sql --db {storePath} exited {code}: {stderr}");
        using (var doc = JsonDocument.Parse(stdout))
        {
            var (ackedEvents, stored) = LoadCheck.AssertAckedStored(requests, LoadCheck.Parse(doc.RootElement.EnumerateArray()), "in the store file right after the exit");
            output.WriteLine($"store file after exit: acknowledged {ackedEvents} events, stored {stored} load events");
            Assert.Equal(ackedEvents, stored); // every request was answered, so nothing unacknowledged can be there
        }

        // A restart finds nothing to replay and serves the same events.
        await using var again = await ServerProcess.StartAsync(data.Path);
        using var query = new QueryClient(again.Url, readKey);
        Assert.Equal(0, await query.BacklogAsync());
        Assert.Equal(acked * (long)BatchLoad.EventsPerRequest, await query.ScalarAsync("select count(distinct message_id) from events"));
        Assert.Equal(acked * (long)BatchLoad.EventsPerRequest, await query.ScalarAsync("select count(*) from events"));
    }
}
