using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pretzel.Server.Projects;

namespace Pretzel.Bench.Collector;

/// <summary>Settings of <c>collector</c>.</summary>
public sealed record CollectorOptions
{
    public long Events { get; init; } = 300_000;

    public int Clients { get; init; } = 8;

    public int Batch { get; init; } = 100;

    public int MaxSeconds { get; init; } = 60;

    public int People { get; init; } = 20_000;

    public double FlushSeconds { get; init; } = 1;

    public bool InProcess { get; init; }

    public const string Usage = "collector [--events N (300000)] [--clients C (8)] [--batch B (100)] [--max-seconds S (60)] [--people P (20000)] [--flush-interval SECONDS (1)] [--in-process]";

    public static CollectorOptions? Parse(string[] args, out string? error)
    {
        var o = new CollectorOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--events" when long.TryParse(next, out var n) && n > 0:
                    o = o with { Events = n };
                    i++;
                    break;
                case "--clients" when int.TryParse(next, out var c) && c is > 0 and <= 1024:
                    o = o with { Clients = c };
                    i++;
                    break;
                case "--batch" when int.TryParse(next, out var b) && b is > 0 and <= 500:
                    o = o with { Batch = b };
                    i++;
                    break;
                case "--max-seconds" when int.TryParse(next, out var s) && s is > 0 and <= 3600:
                    o = o with { MaxSeconds = s };
                    i++;
                    break;
                case "--people" when int.TryParse(next, out var p) && p > 0:
                    o = o with { People = p };
                    i++;
                    break;
                case "--flush-interval" when double.TryParse(next, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 3600:
                    o = o with { FlushSeconds = f };
                    i++;
                    break;
                case "--in-process":
                    o = o with { InProcess = true };
                    break;
                default:
                    error = $"unknown or invalid argument '{args[i]}'; usage: {Usage}";
                    return null;
            }
        }

        return o;
    }
}

/// <summary>
/// A bounded load test of <c>pretzel serve</c>'s collector on loopback: C clients send pre-generated
/// Segment batches of B events to <c>/v1/batch</c> until N events are acknowledged or S seconds pass;
/// then the benchmark waits for the store to catch up and checks with SQL that every acknowledged event
/// is stored exactly once. Baselines measured in the same run, for ratios on a shared machine: the same
/// clients' round-trip rate against <c>/health</c> (what HTTP on loopback costs with no body and no
/// work), and the latency of a 64 KB write + fsync in the same temp folder (what the write-ahead log's
/// group commit cannot go below).
/// </summary>
public static class CollectorBenchmark
{
    private const string ProjectName = "bench";
    private const double GoalEventsPerSecond = 50_000;
    private const double GoalP99Ms = 50;

    public static async Task<int> RunAsync(CollectorOptions o)
    {
        string? cliDll = null;
        if (!o.InProcess)
        {
            var root = ServerUnderTest.FindRepoRoot();
            cliDll = root is null ? null : Path.Combine(root, "src", "Pretzel.Cli", "bin", "Release", "net10.0", "pretzel.dll");
            if (cliDll is null || !File.Exists(cliDll))
            {
                Console.Error.WriteLine($"the server build is missing ({cliDll ?? "repository root not found"}); build it first: dotnet build src/Pretzel.Cli -c Release (or pass --in-process)");
                return 2;
            }
        }

        var dir = Path.Combine(Path.GetTempPath(), $"pretzel-collector-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            return await RunInAsync(o, dir, cliDll).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"could not remove {dir}: {ex.Message}");
            }
        }
    }

    private static async Task<int> RunInAsync(CollectorOptions o, string dir, string? cliDll)
    {
        var data = Path.Combine(dir, "data");
        var project = new ProjectRegistry(data).Create(ProjectName, DateTime.UtcNow);

        // Everything to send is made before the clock starts; the run id keeps message ids unique across runs.
        var sw = Stopwatch.StartNew();
        var runId = Guid.NewGuid().ToString("N")[..8];
        var warmup = SegmentBatches.Generate(Math.Min(o.Events, (long)o.Clients * o.Batch * 4), o.Batch, o.People, $"{runId}-w", 7);
        var batches = SegmentBatches.Generate(o.Events, o.Batch, o.People, runId, 11);
        var bytes = batches.Sum(b => (long)b.Body.Length);
        Console.WriteLine($"generated {o.Events:N0} events in {batches.Length:N0} batches of {o.Batch} ({bytes / 1e6:F0} MB JSON, {bytes / o.Events} B/event) in {sw.Elapsed.TotalSeconds:F1} s");

        var fsync = MeasureFsync(dir);
        var stages = await CollectorStages.MeasureAsync(batches[..Math.Min(batches.Length, Math.Max(1, 20_000 / o.Batch))], dir).ConfigureAwait(false);
        sw.Restart();
        await using var server = o.InProcess
            ? await ServerUnderTest.StartInProcessAsync(data, o.FlushSeconds).ConfigureAwait(false)
            : await ServerUnderTest.StartProcessAsync(cliDll!, data, o.FlushSeconds).ConfigureAwait(false);
        var mode = server.Mode;
        Console.WriteLine($"server: {mode}, {server.BaseAddress} (up in {sw.Elapsed.TotalSeconds:F1} s); {o.Clients} clients, {Environment.ProcessorCount} cores");

        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = o.Clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var read = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        read.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", project.ReadKey);
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(project.WriteKey + ":")));

        // Warm-up (JIT, connections, the project's store): its events count in the stored == acknowledged check.
        var warm = await SendAsync(http, basic, warmup, o.Clients, TimeSpan.FromSeconds(Math.Max(10, o.MaxSeconds))).ConfigureAwait(false);
        await RunHealthAsync(http, o.Clients, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        var health = await RunHealthAsync(http, o.Clients, TimeSpan.FromSeconds(3)).ConfigureAwait(false);

        var before = await Metrics.ScrapeAsync(read).ConfigureAwait(false);
        var machineBefore = MachineCpu.Read();
        var serverCpuBefore = server.CpuTime;
        var selfCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var send = await SendAsync(http, basic, batches, o.Clients, TimeSpan.FromSeconds(o.MaxSeconds)).ConfigureAwait(false);
        var serverCpu = server.CpuTime - serverCpuBefore;
        var selfCpu = Process.GetCurrentProcess().TotalProcessorTime - selfCpuBefore;
        var machine = MachineCpu.Read() - machineBefore;
        var after = await Metrics.ScrapeAsync(read).ConfigureAwait(false);

        // Catch-up: bounded wait for the mover to empty the write-ahead log.
        var catchUp = Stopwatch.StartNew();
        var catchUpLimit = TimeSpan.FromSeconds(Math.Max(60, 2 * o.MaxSeconds));
        var backlog = await BacklogAsync(read).ConfigureAwait(false);
        var backlogAtEnd = backlog;
        while (backlog > 0 && catchUp.Elapsed < catchUpLimit)
        {
            await Task.Delay(50).ConfigureAwait(false);
            backlog = await BacklogAsync(read).ConfigureAwait(false);
        }

        var caughtUp = catchUp.Elapsed;
        var final = await Metrics.ScrapeAsync(read).ConfigureAwait(false);
        var (stored, distinct) = await CountAsync(read).ConfigureAwait(false);
        await server.DisposeAsync().ConfigureAwait(false);
        var late = await CollectorStages.MeasureGrownStoreAsync(Path.Combine(data, ProjectName, "events.duckdb"),
            SegmentBatches.Generate(Math.Min(o.Events, 20_000), o.Batch, o.People, $"{runId}-late", 13), dir).ConfigureAwait(false);
        var acknowledged = warm.Accepted + send.Accepted;
        var lost = acknowledged - distinct;

        // Figures.
        var wall = send.Elapsed.TotalSeconds;
        var rate = send.Accepted / wall;
        var lat = Percentiles.Of(send.Latencies);
        var hl = Percentiles.Of(health.Latencies);
        var healthRate = health.Requests / health.Elapsed.TotalSeconds;
        var reqRate = send.Requests / wall;
        var syncs = after.Count("pretzel_wal_sync_seconds") - before.Count("pretzel_wal_sync_seconds");
        var syncMean = syncs > 0 ? (after.Sum("pretzel_wal_sync_seconds") - before.Sum("pretzel_wal_sync_seconds")) / syncs : double.NaN;
        var serverReqs = after.Count("pretzel_request_seconds", "endpoint=\"batch\"") - before.Count("pretzel_request_seconds", "endpoint=\"batch\"");
        var serverMean = serverReqs > 0 ? (after.Sum("pretzel_request_seconds", "endpoint=\"batch\"") - before.Sum("pretzel_request_seconds", "endpoint=\"batch\"")) / serverReqs : double.NaN;
        var storeBusy = final.Sum("pretzel_store_write_seconds") - before.Sum("pretzel_store_write_seconds");
        var storeMoves = final.Count("pretzel_store_write_seconds") - before.Count("pretzel_store_write_seconds");
        var storedDuring = final.Value("pretzel_events_stored_total") - before.Value("pretzel_events_stored_total");
        var toStore = send.Elapsed + caughtUp;
        var storedInSend = after.Value("pretzel_events_stored_total") - before.Value("pretzel_events_stored_total");

        Console.WriteLine();
        Console.WriteLine("collector benchmark — figures");
        Console.WriteLine($"  server                     {mode}");
        Console.WriteLine($"  load                       {o.Clients} clients × batches of {o.Batch}, {o.Events:N0} events planned, cap {o.MaxSeconds} s; flush interval {o.FlushSeconds} s");
        Console.WriteLine($"  send phase                 {wall:F2} s, {send.Requests:N0} requests ({reqRate:N0}/s){(send.TimedOut ? $", STOPPED at the {o.MaxSeconds} s cap" : "")}");
        Console.WriteLine($"  accepted events/s          {rate:N0}   (median 1-s window {send.MedianWindow:N0}, worst full 1-s window {send.WorstWindow:N0})");
        Console.WriteLine($"  latency ms                 p50 {lat.P50:F1}  p90 {lat.P90:F1}  p99 {lat.P99:F1}  max {lat.Max:F1}   (server-side mean {serverMean * 1000:F1})");
        Console.WriteLine($"  answers                    {Statuses(send.Statuses)}; retries {send.Retries:N0}; transport errors {send.TransportErrors:N0}; refused messages {send.Rejected:N0}{(send.Unsent > 0 ? $"; unsent batches {send.Unsent:N0}" : "")}");
        if (send.FirstError is not null)
        {
            Console.WriteLine($"  first error                {send.FirstError}");
        }

        Console.WriteLine($"  WAL group commits          {syncs:N0} ({(syncs > 0 ? send.Requests / (double)syncs : 0):F1} requests each), mean write+fsync {syncMean * 1000:F2} ms");
        var others = machine.BusyCores(wall) - ((serverCpu ?? TimeSpan.Zero) + selfCpu).TotalSeconds / wall;
        Console.WriteLine($"  CPU during send            server {Cores(serverCpu, wall)}, client {Cores(selfCpu, wall)}, other processes {others:F2} cores; whole machine {machine.BusyCores(wall):F2} of {Environment.ProcessorCount} cores busy");
        var serverUs = serverCpu is { } sc ? sc.TotalMicroseconds / send.Accepted : double.NaN;
        var clientUs = selfCpu.TotalMicroseconds / send.Accepted;
        Console.WriteLine($"  CPU per accepted event     server {serverUs:F1} µs (includes the mover's imports while sending), client {clientUs:F1} µs"
            + $" → with all {Environment.ProcessorCount} cores to themselves: ≤ {Environment.ProcessorCount * 1e6 / ((double.IsNaN(serverUs) ? 0 : serverUs) + clientUs):N0} events/s");
        Console.WriteLine($"  store catch-up             backlog {backlogAtEnd:N0} at the last ack, 0 after {caughtUp.TotalSeconds:F2} s{(backlog > 0 ? $" — NOT caught up ({backlog:N0} left after the {catchUpLimit.TotalSeconds:F0} s limit)" : "")}");
        Console.WriteLine($"  into the store             {acknowledged / toStore.TotalSeconds:N0} events/s end to end (first send → backlog 0); mover {storeMoves:N0} moves, {storeBusy:F2} s busy, {(storeBusy > 0 ? storedDuring / storeBusy : 0):N0} events/s while moving");
        Console.WriteLine($"  stored / acknowledged      {stored:N0} rows, {distinct:N0} distinct message ids / {acknowledged:N0} acknowledged ({warm.Accepted:N0} of them in warm-up)");
        Console.WriteLine($"  lost events: {lost}");
        if (stored != distinct || distinct > acknowledged)
        {
            Console.WriteLine($"  note: {stored - distinct:N0} duplicate rows, {Math.Max(0, distinct - acknowledged):N0} stored but not acknowledged (a retried request the server had written)");
        }

        Console.WriteLine();
        Console.WriteLine("baselines (same run, same clients)");
        Console.WriteLine($"  GET /health round trips    {healthRate:N0} requests/s, p50 {hl.P50:F2} ms, p99 {hl.P99:F2} ms");
        Console.WriteLine($"  64 KB write + fsync        p50 {fsync.P50:F2} ms, p99 {fsync.P99:F2} ms (temp folder, same disk as the data)");
        Console.WriteLine($"  ratios                     batch requests/s = {reqRate / healthRate:P0} of /health's; p50 {lat.P50 / hl.P50:F1}× /health's, p99 {lat.P99 / hl.P99:F1}× /health's; WAL commit {syncMean * 1000 / fsync.P50:F1}× a bare fsync");
        Console.WriteLine($"  if every /health round trip carried {o.Batch} events: {healthRate * o.Batch:N0} events/s (the transport's ceiling for this batch size)");

        var collectUs = stages.ParseUs + stages.ValidateUs + stages.WriteLineUs;
        Console.WriteLine();
        Console.WriteLine($"server stages, one thread in this process, {stages.Events:N0} of the same events (µs per event)");
        Console.WriteLine($"  parse body (JsonDocument)  {stages.ParseUs,6:F1}");
        Console.WriteLine($"  validate (ReceivedBatch)   {stages.ValidateUs,6:F1}");
        Console.WriteLine($"  write WAL line             {stages.WriteLineUs,6:F1}");
        Console.WriteLine($"  = collect path             {collectUs,6:F1}   → {1e6 / collectUs:N0} events/s per core (process CPU {stages.CollectCpuUs:F1} µs incl. GC)");
        Console.WriteLine($"  mover: import, empty store {stages.ImportUs,6:F1}   wall, {stages.ImportCpuUs:F1} CPU → {1e6 / stages.ImportUs:N0} events/s");
        Console.WriteLine($"  mover: import, after run   {late.ImportUs,6:F1}   wall, {late.ImportCpuUs:F1} CPU, into the run's store of {late.StoredEvents:N0} events; its identity-map rebuild alone {late.RebuildMs:F0} ms (paid once per moved segment)");
        if (!double.IsNaN(serverUs))
        {
            var moverUs = stages.ImportCpuUs * storedInSend / Math.Max(1, send.Accepted);
            Console.WriteLine($"  server measured in the run {serverUs,6:F1}   ≈ collect path {stages.CollectCpuUs:F1} (CPU) + mover ~{moverUs:F1} ({storedInSend:N0} events moved while sending) + HTTP/Kestrel/scheduling ~{Math.Max(0, serverUs - stages.CollectCpuUs - moverUs):F1}");
            Console.WriteLine($"  sustainable when the store must keep up: ≤ {Environment.ProcessorCount * 1e6 / (stages.CollectCpuUs + late.ImportCpuUs + clientUs):N0} events/s on {Environment.ProcessorCount} cores (collect + import + client CPU per event, nothing else running)");
        }

        Console.WriteLine();
        var rateOk = rate >= GoalEventsPerSecond && !send.TimedOut;
        var p99Ok = lat.P99 < GoalP99Ms;
        var lossOk = lost == 0 && backlog == 0;
        Console.WriteLine($"goal (≥{GoalEventsPerSecond:N0} events/s sustained, p99 < {GoalP99Ms} ms, 0 lost): {(rateOk && p99Ok && lossOk ? "MET" : "NOT MET")} — "
            + $"rate {rate:N0}/s {(rateOk ? "ok" : "short")}, p99 {lat.P99:F1} ms {(p99Ok ? "ok" : "over")}, lost {lost} {(lossOk ? "ok" : "FAIL")}");
        return lost == 0 && backlog == 0 ? 0 : 1;
    }

    private static string Cores(TimeSpan? cpu, double wall) => cpu is { } c ? $"{c.TotalSeconds / wall:F2} cores" : "n/a (in-process)";

    private static string Statuses(Dictionary<int, long> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}"));

    private sealed class SendResult
    {
        public long Accepted;
        public long Rejected;
        public long Requests;
        public long Retries;
        public long TransportErrors;
        public long Unsent;
        public bool TimedOut;
        public TimeSpan Elapsed;
        public string? FirstError;
        public Dictionary<int, long> Statuses { get; } = [];
        public List<double> Latencies { get; } = [];
        public double MedianWindow;
        public double WorstWindow;
    }

    private static async Task<SendResult> SendAsync(HttpClient http, AuthenticationHeaderValue auth, PreparedBatch[] batches, int clients, TimeSpan limit)
    {
        var result = new SendResult();
        var next = -1;
        var perSecond = new long[(int)limit.TotalSeconds + 120];
        var json = new MediaTypeHeaderValue("application/json");
        var sw = Stopwatch.StartNew();
        var retryLimit = limit + TimeSpan.FromSeconds(30);

        async Task Client()
        {
            var latencies = new List<double>(batches.Length / clients + 16);
            var statuses = new Dictionary<int, long>();
            long accepted = 0, rejected = 0, requests = 0, retries = 0, errors = 0, unsent = 0;
            while (sw.Elapsed < limit)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= batches.Length)
                {
                    break;
                }

                var batch = batches[i];
                for (var attempt = 0; ; attempt++)
                {
                    if (attempt > 0 && sw.Elapsed > retryLimit)
                    {
                        unsent++;
                        break;
                    }

                    using var request = new HttpRequestMessage(HttpMethod.Post, "v1/batch") { Content = new ByteArrayContent(batch.Body) };
                    request.Content.Headers.ContentType = json;
                    request.Headers.Authorization = auth;
                    var t0 = Stopwatch.GetTimestamp();
                    HttpResponseMessage response;
                    byte[] body;
                    try
                    {
                        response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                        body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The server may have written it: the retry carries the same message ids, which the store dedups.
                        errors++;
                        Interlocked.CompareExchange(ref result.FirstError, "transport: " + ex.Message, null);
                        await Task.Delay(100).ConfigureAwait(false);
                        continue;
                    }

                    using (response)
                    {
                        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                        latencies.Add(ms);
                        requests++;
                        var status = (int)response.StatusCode;
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                        if (status == 200)
                        {
                            var (a, r) = ParseCounts(body);
                            accepted += a;
                            rejected += r;
                            var second = (int)sw.Elapsed.TotalSeconds;
                            if (second < perSecond.Length)
                            {
                                Interlocked.Add(ref perSecond[second], a);
                            }

                            break;
                        }

                        if (status is 429 or 503)
                        {
                            retries++;
                            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                            await Task.Delay(wait).ConfigureAwait(false);
                            continue;
                        }

                        Interlocked.CompareExchange(ref result.FirstError, $"{status}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(300, body.Length)))}", null);
                        unsent++;
                        break;
                    }
                }
            }

            lock (result)
            {
                result.Accepted += accepted;
                result.Rejected += rejected;
                result.Requests += requests;
                result.Retries += retries;
                result.TransportErrors += errors;
                result.Unsent += unsent;
                result.Latencies.AddRange(latencies);
                foreach (var (k, v) in statuses)
                {
                    result.Statuses[k] = result.Statuses.GetValueOrDefault(k) + v;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client))).ConfigureAwait(false);
        result.Elapsed = sw.Elapsed;
        result.TimedOut = next + 1 < batches.Length;
        var full = Math.Min((int)result.Elapsed.TotalSeconds, perSecond.Length);
        var windows = perSecond.Take(full).Select(v => (double)v).Order().ToArray();
        result.MedianWindow = windows.Length > 0 ? windows[windows.Length / 2] : result.Accepted / result.Elapsed.TotalSeconds;
        result.WorstWindow = windows.Length > 0 ? windows[0] : result.MedianWindow;
        return result;
    }

    private static (long Accepted, long Rejected) ParseCounts(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        long accepted = 0, rejected = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var isAccepted = reader.ValueTextEquals("accepted"u8);
                var isRejected = reader.ValueTextEquals("rejected"u8);
                reader.Read();
                if (isAccepted)
                {
                    accepted = reader.GetInt64();
                }
                else if (isRejected)
                {
                    rejected = reader.GetInt64();
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return (accepted, rejected);
    }

    private sealed record HealthResult(long Requests, TimeSpan Elapsed, List<double> Latencies);

    private static async Task<HealthResult> RunHealthAsync(HttpClient http, int clients, TimeSpan duration)
    {
        var all = new List<double>();
        long requests = 0;
        var sw = Stopwatch.StartNew();

        async Task Client()
        {
            var latencies = new List<double>();
            while (sw.Elapsed < duration)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync("health").ConfigureAwait(false);
                _ = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }

            lock (all)
            {
                all.AddRange(latencies);
                requests += latencies.Count;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client))).ConfigureAwait(false);
        return new HealthResult(requests, sw.Elapsed, all);
    }

    private static async Task<long> BacklogAsync(HttpClient read)
    {
        using var doc = JsonDocument.Parse(await read.GetStringAsync("api/v1/project").ConfigureAwait(false));
        return doc.RootElement.GetProperty("backlog").GetInt64();
    }

    private static async Task<(long Stored, long Distinct)> CountAsync(HttpClient read)
    {
        using var response = await read.PostAsync("api/v1/sql", JsonContent("{\"sql\": \"select count(*) as n, count(distinct message_id) as d from events\"}")).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"count query failed: {(int)response.StatusCode} {text}");
        }

        using var doc = JsonDocument.Parse(text);
        var row = doc.RootElement[0];
        return (row.GetProperty("n").GetInt64(), row.GetProperty("d").GetInt64());
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static Percentiles MeasureFsync(string dir)
    {
        var path = Path.Combine(dir, "fsync-probe.bin");
        var block = new byte[64 * 1024];
        Random.Shared.NextBytes(block);
        var times = new List<double>();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var sw = Stopwatch.StartNew();
            while (times.Count < 400 && sw.Elapsed < TimeSpan.FromSeconds(2))
            {
                var t0 = Stopwatch.GetTimestamp();
                file.Write(block);
                file.Flush(flushToDisk: true);
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        File.Delete(path);
        return Percentiles.Of(times);
    }

    private readonly record struct Percentiles(double P50, double P90, double P99, double Max)
    {
        public static Percentiles Of(List<double> values)
        {
            if (values.Count == 0)
            {
                return new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN);
            }

            var sorted = values.Order().ToArray();
            double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new Percentiles(At(0.50), At(0.90), At(0.99), sorted[^1]);
        }
    }

    /// <summary>The counters and histogram sums of one <c>/metrics</c> scrape (Prometheus text format).</summary>
    private sealed class Metrics(string text)
    {
        public static async Task<Metrics> ScrapeAsync(HttpClient http) => new(await http.GetStringAsync("metrics").ConfigureAwait(false));

        public double Value(string name, string? label = null) => Find(name, label);

        public double Sum(string histogram, string? label = null) => Find(histogram + "_sum", label);

        public double Count(string histogram, string? label = null) => Find(histogram + "_count", label);

        private double Find(string name, string? label)
        {
            double total = 0;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || line[name.Length] is not (' ' or '{'))
                {
                    continue;
                }

                if (label is not null && !line.Contains(label, StringComparison.Ordinal))
                {
                    continue;
                }

                if (double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    total += v;
                }
            }

            return total;
        }
    }

    /// <summary>Busy and total jiffies of the whole machine from /proc/stat, to see what else was running.</summary>
    private readonly record struct MachineCpu(long Busy, long Total)
    {
        public static MachineCpu Read()
        {
            try
            {
                var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
                var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
                return new MachineCpu(fields.Sum() - idle, fields.Sum());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return default;
            }
        }

        public static MachineCpu operator -(MachineCpu a, MachineCpu b) => new(a.Busy - b.Busy, a.Total - b.Total);

        public double BusyCores(double wallSeconds) => Total > 0 ? (double)Busy / Total * Environment.ProcessorCount : double.NaN;
    }
}
