using System.Diagnostics;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Demo;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Bench.Stores;

/// <summary>
/// Loads the same generated events into the embedded DuckDB store and into a ClickHouse cluster, and
/// times the load and a per-person aggregation on each. The aggregation is the shape every journey
/// analysis starts with (events per person, first and last time); the baseline is DuckDB's own
/// <c>count(*)</c> over the same table, measured in the same run.
/// </summary>
public static class StoreMacroBenchmark
{
    private const string PerPerson = """
        SELECT count(*) AS people, sum(n) AS events, max(n) AS most
        FROM (SELECT coalesce(user_id, anonymous_id) AS who, count(*) AS n, min(timestamp) AS first_seen, max(timestamp) AS last_seen
              FROM events GROUP BY coalesce(user_id, anonymous_id)) AS p
        """;

    public static async Task<int> RunAsync(int people, string clickHouseUrl)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"pretzel-store-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"generating {people:N0} demo people …");
            var events = new DemoGenerator(new DemoOptions { People = people, Seed = 11 }).Generate().ToList();
            Console.WriteLine($"{events.Count:N0} events");
            Console.WriteLine();
            Console.WriteLine($"{"store",-28} {"load s",8} {"events/s",12} {"per-person s",13} {"count(*) s",11}");

            var duck = Path.Combine(dir, "bench.duckdb");
            using (var store = DuckDbEventStore.Open(duck))
            {
                await Load("duckdb (embedded)", store, events).ConfigureAwait(false);
            }

            using (var reader = DuckDbEventStore.Open(duck, readOnly: true))
            {
                await Query("duckdb (embedded)", reader).ConfigureAwait(false);
            }

            // A database of its own, dropped afterwards, so runs neither see each other's events as duplicates nor leave data.
            var options = ClickHouseStoreOptions.Parse(clickHouseUrl);
            using (var store = ClickHouseEventStore.Open(options with { Database = $"{options.Database}_{Environment.ProcessId}" }))
            {
                try
                {
                    await Load("clickhouse (cluster)", store, events).ConfigureAwait(false);
                    await Query("clickhouse (cluster)", store).ConfigureAwait(false);
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
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task Load(string label, IEventStore store, List<Event> events)
    {
        var sw = Stopwatch.StartNew();
        using (var writer = store.OpenWriter())
        {
            for (var i = 0; i < events.Count; i += 4096)
            {
                writer.Write(events.GetRange(i, Math.Min(4096, events.Count - i)));
            }

            var result = await writer.CommitAsync().ConfigureAwait(false);
            if (result.Written + result.Duplicates != events.Count)
            {
                throw new InvalidOperationException($"{label}: {result.Written} written + {result.Duplicates} duplicates != {events.Count}");
            }
        }

        Console.Write($"{label,-28} {sw.Elapsed.TotalSeconds,8:F2} {events.Count / sw.Elapsed.TotalSeconds,12:N0} ");
    }

    private static async Task Query(string label, IEventStore store)
    {
        _ = label;
        var perPerson = await Best(store, PerPerson).ConfigureAwait(false);
        var count = await Best(store, "SELECT count(*) AS n FROM events").ConfigureAwait(false);
        Console.WriteLine($"{perPerson.TotalSeconds,13:F3} {count.TotalSeconds,11:F3}");
    }

    private static async Task<TimeSpan> Best(IEventStore store, string sql)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            await store.QueryAsync(sql).ConfigureAwait(false);
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        return best;
    }
}
