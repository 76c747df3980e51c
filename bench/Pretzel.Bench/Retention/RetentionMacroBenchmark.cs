using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;
using Pretzel.Storage.DuckDb;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Retention;

/// <summary>
/// Monthly retention over the demo data in DuckDB (first seen → any event, and first purchase → purchase, in a time zone
/// with daylight saving), against DuckDB's own <c>SELECT event, count(*) FROM events GROUP BY event</c> (a plain scan)
/// in the same run.
/// </summary>
public static class RetentionMacroBenchmark
{
    public static async Task<int> RunAsync(int people)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pretzel-bench-retention-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            using var store = DuckDbEventStore.Open(Path.Combine(dir, "events.duckdb"));
            var written = await LoadAsync(store, people).ConfigureAwait(false);
            var baseline = Best(5, () => store.QueryAsync("SELECT event, count(*) FROM events GROUP BY event").GetAwaiter().GetResult());
            EventColumns columns = null!;
            var load = Best(1, () => columns = store.ReadEventColumnsAsync().GetAwaiter().GetResult());
            Console.WriteLine();
            Console.WriteLine($"retention benchmark — {written:N0} events, {columns.PersonCount:N0} people, {Environment.ProcessorCount} cores");
            Console.WriteLine($"  GROUP BY event (DuckDB's own scan, baseline)    {Ms(baseline)}");
            Console.WriteLine($"  reading the event columns (first time)          {Ms(load)}");
            var to = EventTime.FromMicros(columns.Micros.Max());
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            foreach (var (name, start, back) in new (string, IReadOnlyList<string>?, IReadOnlyList<string>?)[] { ("first seen → any event", null, null), ("first purchase → purchase", ["purchase"], ["purchase"]) })
            {
                var options = new RetentionOptions { To = to, TimeZone = zone, StartEvents = start, ReturnEvents = back };
                (IReadOnlyList<RetentionCohort> Cohorts, int Last) result = default;
                Best(2, () => RetentionKernel.Compute(columns, options));
                var time = Best(5, () => result = RetentionKernel.Compute(columns, options));
                Console.WriteLine($"  monthly retention, {name,-26}   {Ms(time)}   = {time / baseline:N1}× the baseline; {result.Cohorts!.Count} cohorts, {result.Cohorts.Sum(c => c.Size):N0} people");
            }

            Console.WriteLine($"  goal: ≤ 1 s at 10M events (run with --people 830000 for about 10M)");
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

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,10:N1} ms";
}
