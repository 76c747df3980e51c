using System.Globalization;
using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;
using Pretzel.Storage.DuckDb;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Paths;

/// <summary>
/// The path table over the demo data in DuckDB, against DuckDB's own <c>SELECT channel, count(*) FROM events
/// GROUP BY channel</c> (a plain scan of the touch column) in the same run; then the graph math (Markov chain
/// with exact absorption, black holes, bright paths) on a synthetic path table of a million rows.
/// </summary>
public static class PathsMacroBenchmark
{
    public static async Task<int> RunAsync(int people, int tableRows)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pretzel-bench-paths-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            using var store = DuckDbEventStore.Open(Path.Combine(dir, "events.duckdb"));
            var written = await LoadAsync(store, people).ConfigureAwait(false);
            var baseline = Best(5, () => store.QueryAsync("SELECT channel, count(*) FROM events GROUP BY channel").GetAwaiter().GetResult());
            EventColumns columns = null!;
            var load = Best(1, () => columns = store.ReadEventColumnsAsync().GetAwaiter().GetResult());
            Console.WriteLine();
            Console.WriteLine($"path table benchmark — {written:N0} events, {columns.PersonCount:N0} people, {Environment.ProcessorCount} cores");
            Console.WriteLine($"  GROUP BY channel (DuckDB's own scan, baseline)  {Ms(baseline)}");
            Console.WriteLine($"  reading the event columns (first time)          {Ms(load)}");
            foreach (var touch in (TouchKind[])[TouchKind.Channel, TouchKind.Event])
            {
                var options = new PathOptions { Touch = touch, To = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
                PathResult result = null!;
                Best(5, () => PathKernel.Compute(columns, options));
                var time = Best(5, () => result = PathKernel.Compute(columns, options));
                Console.WriteLine($"  path table, --touch {touch.ToString().ToLowerInvariant(),-8}                 {Ms(time)}   = {time / baseline:N1}× the baseline; {result.Journeys:N0} journeys, {result.Paths.Count:N0} paths");
            }

            Console.WriteLine($"  scaled to 10M events (linear, channel)          goal ≤ 1 s");
            Graph(tableRows);
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

    // A synthetic path table: paths of 1..8 touches over 20 channels, with conversion odds that depend on the touches.
    private static void Graph(int rows)
    {
        var random = new Random(20261123);
        var touches = Enumerable.Range(0, 20).Select(i => "touch_" + i.ToString("D2", CultureInfo.InvariantCulture)).ToArray();
        var table = new Dictionary<string, PathRow>(StringComparer.Ordinal);
        while (table.Count < rows)
        {
            var path = Enumerable.Range(0, random.Next(1, 9)).Select(_ => touches[(int)(random.NextDouble() * random.NextDouble() * touches.Length)]).ToArray();
            var key = string.Join(" > ", path);
            if (!table.ContainsKey(key))
            {
                var journeys = random.Next(1, 40);
                var conversions = (long)Math.Round(journeys * (path.Contains("touch_03") ? 0.3 : 0.05) * random.NextDouble() * 2);
                table[key] = new PathRow(path, Math.Min(journeys, conversions), conversions * 100.0, journeys - Math.Min(journeys, conversions));
            }
        }

        var list = table.Values.ToList();
        MarkovChain chain = null!;
        var build = Best(3, () => chain = MarkovChain.FromPaths(list, 1));
        var holes = Best(3, () => chain.BlackHoles(20));
        var bright = Best(3, () => chain.BrightPaths(10));
        MarkovChain second = null!;
        var build2 = Best(1, () => second = MarkovChain.FromPaths(list, 2));
        Console.WriteLine();
        Console.WriteLine($"graph benchmark — a path table of {list.Count:N0} rows, {list.Sum(r => r.Journeys):N0} journeys, 20 touches");
        Console.WriteLine($"  order-1 chain, exact absorption                 {Ms(build)}");
        Console.WriteLine($"  black holes (exact uplift per node)             {Ms(holes)}");
        Console.WriteLine($"  10 bright paths (Yen)                           {Ms(bright)}");
        Console.WriteLine($"  chain + black holes + bright paths              {Ms(build + holes + bright)}   (goal ≤ 0.5 s)");
        Console.WriteLine($"  order-2 chain ({second.Nodes().Count:N0} states)                    {Ms(build2)}");
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,10:N1} ms";
}
