using System.Diagnostics;
using System.Globalization;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Demo;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Bench.Funnel;

/// <summary>
/// A 4-step ordered funnel with a 7-day window over the demo data, against the store's own
/// <c>SELECT event, count(*) FROM events GROUP BY event</c> on the same table in the same run. The
/// funnel's time is split into reading the person-sorted event columns out of the store (once per
/// process; the server keeps them) and the kernel's compute (per query). On small data the reference
/// implementation runs too, as a yardstick; with <c>--clickhouse URL</c> the same events also go into a
/// ClickHouse cluster and are measured there.
/// </summary>
public static class FunnelMacroBenchmark
{
    public static async Task<int> RunAsync(int people, string? clickHouseUrl)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pretzel-bench-funnel-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var options = new FunnelArguments { Steps = "product_viewed,add_to_cart,checkout_started,purchase", Window = "7d", To = "2026-01-01" }.ToOptions(DateTime.UtcNow);
            using (var store = DuckDbEventStore.Open(Path.Combine(dir, "events.duckdb")))
            {
                var written = await LoadAsync(store, people).ConfigureAwait(false);
                await MeasureAsync(store, "DuckDB", written, options, reference: written <= 2_000_000).ConfigureAwait(false);
            }

            if (clickHouseUrl is not null)
            {
                var chOptions = ClickHouseStoreOptions.Parse(clickHouseUrl);
                using var store = ClickHouseEventStore.Open(chOptions with { Database = $"{chOptions.Database}_{Environment.ProcessId}" });
                try
                {
                    var written = await LoadAsync(store, people).ConfigureAwait(false);
                    await MeasureAsync(store, $"ClickHouse ({(chOptions.Cluster is null ? "one node" : "cluster " + chOptions.Cluster)})", written, options, reference: false).ConfigureAwait(false);
                }
                finally
                {
                    await store.DropDatabaseAsync().ConfigureAwait(false);
                }
            }

            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    internal static async Task<long> LoadAsync(IEventStore store, int people)
    {
        var load = Stopwatch.StartNew();
        var report = await new EventImporter(store, ProjectSettings.Default, TimeProvider.System)
            .ImportEventsAsync(new DemoGenerator(new DemoOptions { People = people }).Generate(), "demo").ConfigureAwait(false);
        Console.WriteLine($"{store.Description}: demo data, {people:N0} people, {report.Written:N0} events loaded in {load.Elapsed.TotalSeconds:0.0} s");
        return report.Written;
    }

    private static async Task MeasureAsync(IEventStore store, string name, long written, FunnelOptions options, bool reference)
    {
        const string Baseline = "SELECT event, count(*) FROM events GROUP BY event";
        var baseline = Best(5, () => store.QueryAsync(Baseline).GetAwaiter().GetResult());
        EventColumns columns = null!;
        Environment.SetEnvironmentVariable("PRETZEL_COLUMN_CACHE", "0");
        var read = Best(3, () => columns = store.ReadEventColumnsAsync().GetAwaiter().GetResult());
        Environment.SetEnvironmentVariable("PRETZEL_COLUMN_CACHE", null);
        TimeSpan? cached = null;
        if (store is DuckDbEventStore)
        {
            // The first read writes the column file beside the store; later commands load it.
            store.ReadEventColumnsAsync().GetAwaiter().GetResult();
            cached = Best(3, () => columns = store.ReadEventColumnsAsync().GetAwaiter().GetResult());
        }

        IReadOnlyList<FunnelRow> rows = [];

        // Warm up first: the JIT optimises the kernel's loops (tiered, with profile-guided optimisation) only after they have run a while.
        Best(10, () => FunnelKernel.Compute(columns, options));
        var compute = Best(10, () => rows = FunnelKernel.Compute(columns, options));
        Console.WriteLine();
        Console.WriteLine($"funnel benchmark on {name} — {written:N0} events, {columns.PersonCount:N0} people, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  GROUP BY event (the store's own, baseline)  {Ms(baseline)}");
        Console.WriteLine($"  4-step funnel, kernel over columns          {Ms(compute)}   = {compute / baseline:N1}× the baseline");
        Console.WriteLine($"  reading the event columns from the store       {Ms(read)}   = {read / baseline:N1}× the baseline, {columns.Bytes / 1e6:N0} MB");
        if (cached is { } c)
        {
            Console.WriteLine($"  loading them from the column file             {Ms(c)}   = {c / baseline:N1}× the baseline");
        }

        Console.WriteLine($"  command after a change (read + kernel)        {Ms(read + compute)}");
        if (cached is { } again)
        {
            Console.WriteLine($"  command on an unchanged store (load + kernel) {Ms(again + compute)}");
        }
        if (FunnelPushDown.Applies(store, options))
        {
            IReadOnlyList<FunnelRow> pushed = [];
            var pushDown = Best(3, () => pushed = FunnelPushDown.RunAsync(store, options).GetAwaiter().GetResult());
            Console.WriteLine($"  4-step funnel pushed down as SQL            {Ms(pushDown)}   = {pushDown / baseline:N1}× the baseline, {(read + compute) / pushDown:N1}× faster than read + kernel");
            Console.WriteLine($"  pushed-down rows equal the kernel's         {pushed.SequenceEqual(rows)}");

            // Monthly retention (default options) the same two ways.
            var retention = new Pretzel.Analytics.Retention.RetentionReport { To = "2026-01-01" };
            var now = DateTime.UtcNow;
            Pretzel.Analytics.Paths.ReportTable kernelTable = null!, pushedTable = null!;
            Best(2, () => kernelTable = retention.Run(columns, now));
            var retentionKernel = Best(5, () => kernelTable = retention.Run(columns, now));
            var retentionPushed = Best(3, () => pushedTable = retention.RunAsync(store, now).GetAwaiter().GetResult());
            static string Text(Pretzel.Analytics.Paths.ReportTable t) => string.Join("\n", t.Rows.Select(r => string.Join("|", r)));
            Console.WriteLine($"  monthly retention, kernel over columns      {Ms(retentionKernel)}   (+ the read above: {Ms(read + retentionKernel).Trim()})");
            Console.WriteLine($"  monthly retention pushed down as SQL        {Ms(retentionPushed)}   = {retentionPushed / baseline:N1}× the baseline, {(read + retentionKernel) / retentionPushed:N1}× faster than read + kernel");
            Console.WriteLine($"  pushed-down retention equals the kernel's   {Text(kernelTable) == Text(pushedTable)}");
        }

        if (reference)
        {
            IReadOnlyList<PersonJourney> journeys = [];
            var loadJourneys = Best(1, () => journeys = JourneyLoader.LoadAsync(store, options.To).GetAwaiter().GetResult());
            IReadOnlyList<FunnelRow> expected = [];
            var plain = Best(1, () => expected = FunnelReference.Compute(journeys, options));
            Console.WriteLine($"  reference (plain C# over journeys)          {Ms(plain)}   + {Ms(loadJourneys).Trim()} loading journeys through SQL rows");
            Console.WriteLine($"  kernel rows equal the reference's           {expected.SequenceEqual(rows)}");
        }

        Console.WriteLine($"  entered per step                            {string.Join(" → ", rows.Select(r => r.Entered.ToString("N0", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($"  kernel scaled to 10M events (linear)        {compute.TotalSeconds * 10_000_000 / Math.Max(1, written),10:N3} s   (goal ≤ 1 s, ≤ 5× the baseline)");
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,10:N1} ms";

    internal static TimeSpan Best(int runs, Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        return best;
    }
}
