using System.Diagnostics;
using DuckDB.NET.Data;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.DuckDb;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Import;

/// <summary>
/// Imports N generated events from a plain CSV into a fresh store and prints events/s beside two
/// baselines measured in the same run on the same file: DuckDB's own parallel <c>read_csv</c> count
/// (the floor for touching the bytes), and DuckDB loading the file into a table with no validation,
/// normalisation or dedup (what a bare <c>CREATE TABLE AS SELECT * FROM read_csv</c> costs). The
/// ratios are the figures to compare across machines; absolute numbers vary ~2× on a shared machine.
/// </summary>
public static class ImportMacroBenchmark
{
    public static async Task<int> RunAsync(int events)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"pretzel-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var csv = Path.Combine(dir, "events.csv");
            var sw = Stopwatch.StartNew();
            BenchmarkCsv.Write(csv, events);
            Console.WriteLine($"generated {events:N0} events, {new FileInfo(csv).Length / 1e6:F0} MB CSV in {sw.Elapsed.TotalSeconds:F1} s");

            var parseOnly = TimeSpan.MaxValue;
            for (var run = 0; run < 2; run++)
            {
                using var nullStore = new NullStore();
                sw.Restart();
                var r = await new EventImporter(nullStore, ProjectSettings.Default, TimeProvider.System).ImportFileAsync(csv, new ImportOptions()).ConfigureAwait(false);
                parseOnly = sw.Elapsed < parseOnly ? sw.Elapsed : parseOnly;
                if (r.Written != events)
                {
                    Console.Error.WriteLine($"read/validate stage accepted {r.Written:N0} of {events:N0}");
                    return 1;
                }
            }

            var scan = Best(3, () => DuckDb($"SELECT count(*) FROM read_csv('{csv}')", Path.Combine(dir, "scan.duckdb")));
            var load = Best(2, () => DuckDb($"CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv('{csv}')", Path.Combine(dir, "load.duckdb")));
            var import = TimeSpan.MaxValue;
            ImportReport? report = null;
            for (var run = 0; run < 2; run++)
            {
                var db = Path.Combine(dir, $"pretzel-{run}.duckdb");
                using var store = DuckDbEventStore.Open(db);
                var importer = new EventImporter(store, ProjectSettings.Default, TimeProvider.System);
                sw.Restart();
                report = await importer.ImportFileAsync(csv, new ImportOptions()).ConfigureAwait(false);
                var elapsed = sw.Elapsed;
                import = elapsed < import ? elapsed : import;
                if (report.Written != events)
                {
                    Console.Error.WriteLine($"expected {events:N0} events stored, got {report.Written:N0} (rejected {report.Rejected:N0})");
                    return 1;
                }
            }

            sw.Restart();
            using (var store = DuckDbEventStore.Open(Path.Combine(dir, "pretzel-0.duckdb")))
            {
                var importer = new EventImporter(store, ProjectSettings.Default, TimeProvider.System);
                var again = await importer.ImportFileAsync(csv, new ImportOptions()).ConfigureAwait(false);
                if (again.Written != 0)
                {
                    Console.Error.WriteLine($"re-import stored {again.Written:N0} events; expected 0");
                    return 1;
                }
            }

            var reimport = sw.Elapsed;

            // The floor for any writer into this store: DuckDB copying the stored rows, already typed and
            // in its own format, into a new table of the same schema (no file, no parsing, no checks).
            var stored = Path.Combine(dir, "pretzel-1.duckdb");
            var copyCpu = TimeSpan.MaxValue;
            var copy = Best(2, () =>
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                DuckDbAt(stored, "SET preserve_insertion_order = false; DROP TABLE IF EXISTS events_copy; CREATE TABLE events_copy AS SELECT * FROM events; DROP TABLE events_copy; CHECKPOINT");
                var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                copyCpu = used < copyCpu ? used : copyCpu;
            });
            Console.WriteLine();
            Console.WriteLine($"{"step",-44} {"seconds",8} {"events/s",12} {"× scan",8}");
            Row("DuckDB read_csv count (baseline)", scan, events, scan);
            Row("DuckDB read_csv into a table, no checks", load, events, scan);
            Row("pretzel read+validate+normalise (no store)", parseOnly, events, scan);
            Row("pretzel import (validate, normalise, dedup)", import, events, scan);
            Row("pretzel re-import of the same file (all dup)", reimport, events, scan);
            Row("DuckDB copy of the stored rows (floor)", copy, events, scan);
            Console.WriteLine();
            Console.WriteLine($"DuckDB's copy of the stored rows used {copyCpu.TotalSeconds:F2} s of CPU ({copyCpu.TotalSeconds / events * 1e6:F2} s per million events; two cores give 2 s per second)");
            Console.WriteLine($"import: {events / import.TotalSeconds / 1e6:F2}M events/s; {import / scan:F1}× DuckDB's raw CSV scan, {import / load:F1}× DuckDB's bare load");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Row(string label, TimeSpan t, int events, TimeSpan scan) =>
        Console.WriteLine($"{label,-44} {t.TotalSeconds,8:F2} {events / t.TotalSeconds,12:N0} {t / scan,8:F1}");

    private static void DuckDb(string sql, string path)
    {
        File.Delete(path);
        DuckDbAt(path, sql);
    }

    private static void DuckDbAt(string path, string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
