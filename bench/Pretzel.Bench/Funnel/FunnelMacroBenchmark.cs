using System.Diagnostics;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Ingest.Demo;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Bench.Funnel;

/// <summary>
/// A 4-step ordered funnel with a 7-day window over the demo data in a DuckDB store, against DuckDB's own
/// <c>SELECT event, count(*) FROM events GROUP BY event</c> on the same table in the same run. The funnel's
/// time is split into loading the person journeys out of the store and computing the funnel.
/// </summary>
public static class FunnelMacroBenchmark
{
    public static async Task<int> RunAsync(int people)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pretzel-bench-funnel-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            using var store = DuckDbEventStore.Open(Path.Combine(dir, "events.duckdb"));
            var load = Stopwatch.StartNew();
            var report = await new EventImporter(store, ProjectSettings.Default, TimeProvider.System)
                .ImportEventsAsync(new DemoGenerator(new DemoOptions { People = people }).Generate(), "demo").ConfigureAwait(false);
            Console.WriteLine($"demo data: {people:N0} people, {report.Written:N0} events loaded in {load.Elapsed.TotalSeconds:0.0} s");

            const string Baseline = "SELECT event, count(*) FROM events GROUP BY event";
            var baseline = Best(3, () => store.QueryAsync(Baseline).GetAwaiter().GetResult());
            var options = new FunnelArguments { Steps = "product_viewed,add_to_cart,checkout_started,purchase", Window = "7d", To = "2026-01-01" }.ToOptions(DateTime.UtcNow);
            IReadOnlyList<PersonJourney> journeys = [];
            var loadJourneys = Best(3, () => journeys = JourneyLoader.LoadAsync(store, options.To).GetAwaiter().GetResult());
            IReadOnlyList<FunnelRow> rows = [];
            var compute = Best(3, () => rows = FunnelReference.Compute(journeys, options));
            var total = loadJourneys + compute;
            Console.WriteLine();
            Console.WriteLine($"funnel benchmark — {report.Written:N0} events, {journeys.Count:N0} people");
            Console.WriteLine($"  DuckDB GROUP BY event (baseline)     {baseline.TotalMilliseconds,10:N1} ms");
            Console.WriteLine($"  load person journeys (SQL → C#)      {loadJourneys.TotalMilliseconds,10:N1} ms");
            Console.WriteLine($"  compute funnel (reference, C#)       {compute.TotalMilliseconds,10:N1} ms");
            Console.WriteLine($"  funnel total                         {total.TotalMilliseconds,10:N1} ms   = {total / baseline:N1}× the baseline");
            Console.WriteLine($"  entered per step                     {string.Join(" → ", rows.Select(r => r.Entered.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}");
            var per10M = total.TotalSeconds * 10_000_000 / Math.Max(1, report.Written);
            Console.WriteLine($"  scaled to 10M events (linear)        {per10M,10:N1} s   (goal ≤ 1 s, ≤ 5× the baseline)");
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

    private static TimeSpan Best(int runs, Action action)
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
