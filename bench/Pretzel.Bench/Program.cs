using BenchmarkDotNet.Running;
using Pretzel.Bench.Import;

// pretzel-bench import [--events N] [--keep]   macro benchmark: import throughput vs DuckDB's own CSV scan
// pretzel-bench micro [BenchmarkDotNet args]   hot-path micro benchmarks
// pretzel-bench dashboard [--people N] [--runs R]   each dashboard view's load time in Chromium, vs a static page
// pretzel-bench collector [--events N] [--clients C] [--batch B] [--max-seconds S]   load test of `pretzel serve` on loopback
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(ImportMacroBenchmark).Assembly).Run(args[1..]);
    return 0;
}

if (args.Length >= 1 && args[0] == "stores")
{
    // stores --store clickhouse://HOST:PORT/DB?cluster=NAME [--people N]
    string? url = null;
    var people = 100_000;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--store" && i + 1 < args.Length)
        {
            url = args[++i];
        }
        else if (args[i] == "--people" && i + 1 < args.Length && int.TryParse(args[++i], out var p) && p > 0)
        {
            people = p;
        }
        else
        {
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: stores --store clickhouse://HOST:PORT/DB?cluster=NAME [--people N]");
            return 2;
        }
    }

    if (url is null)
    {
        Console.Error.WriteLine("stores needs --store clickhouse://…; start a local cluster with: bash scripts/clickhouse.sh start");
        return 2;
    }

    return await Pretzel.Bench.Stores.StoreMacroBenchmark.RunAsync(people, url).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "dashboard")
{
    // dashboard [--people N] [--runs R]: each dashboard view's load time in Chromium vs a static page's
    var people = 20_000;
    var runs = 3;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--people" && i + 1 < args.Length && int.TryParse(args[++i], out var p) && p > 0)
        {
            people = p;
        }
        else if (args[i] == "--runs" && i + 1 < args.Length && int.TryParse(args[++i], out var r) && r > 0)
        {
            runs = r;
        }
        else
        {
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: dashboard [--people N] [--runs R]");
            return 2;
        }
    }

    return await Pretzel.Bench.Dashboard.DashboardLoadBenchmark.RunAsync(people, runs).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "collector")
{
    var options = Pretzel.Bench.Collector.CollectorOptions.Parse(args[1..], out var error);
    if (options is null)
    {
        Console.Error.WriteLine(error);
        return 2;
    }

    return await Pretzel.Bench.Collector.CollectorBenchmark.RunAsync(options).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "paths")
{
    // paths [--people N] [--table-rows R]: the path table vs DuckDB's GROUP BY channel; the graph math on R path rows
    var people = 100_000;
    var rows = 1_000_000;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--people" && i + 1 < args.Length && int.TryParse(args[++i], out var p) && p > 0)
        {
            people = p;
        }
        else if (args[i] == "--table-rows" && i + 1 < args.Length && int.TryParse(args[++i], out var r) && r > 0)
        {
            rows = r;
        }
        else
        {
            Console.Error.WriteLine("usage: paths [--people N] [--table-rows R]");
            return 2;
        }
    }

    return await Pretzel.Bench.Paths.PathsMacroBenchmark.RunAsync(people, rows).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "attribution")
{
    // attribution [--rows N] [--cli PATH]: models on a generated path table file of N distinct paths; the whole CLI process
    var rows = 1_000_000;
    string? cli = null;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--rows" && i + 1 < args.Length && int.TryParse(args[++i], out var r) && r > 0)
        {
            rows = r;
        }
        else if (args[i] == "--cli" && i + 1 < args.Length)
        {
            cli = args[++i];
        }
        else
        {
            Console.Error.WriteLine("usage: attribution [--rows N] [--cli PATH-TO-pretzel.dll]");
            return 2;
        }
    }

    return Pretzel.Bench.Attribution.AttributionMacroBenchmark.Run(rows, cli);
}

if (args.Length >= 1 && args[0] == "retention")
{
    // retention [--people N]: monthly retention over the demo data vs DuckDB's GROUP BY event
    var people = 100_000;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--people" && i + 1 < args.Length && int.TryParse(args[++i], out var p) && p > 0)
        {
            people = p;
        }
        else
        {
            Console.Error.WriteLine("usage: retention [--people N]");
            return 2;
        }
    }

    return await Pretzel.Bench.Retention.RetentionMacroBenchmark.RunAsync(people).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "predict")
{
    // predict [--journeys N]: scoring N synthetic open journeys (and next best touch) with a model trained on the demo, vs the path table
    var journeys = 1_000_000;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--journeys" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n > 0)
        {
            journeys = n;
        }
        else
        {
            Console.Error.WriteLine("usage: predict [--journeys N]");
            return 2;
        }
    }

    return await Pretzel.Bench.Prediction.PredictionMacroBenchmark.RunAsync(journeys).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "funnel")
{
    // funnel [--people N] [--clickhouse URL]: 4-step ordered funnel over the demo data vs the store's GROUP BY event
    var people = 100_000;
    string? clickHouse = null;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--people" && i + 1 < args.Length && int.TryParse(args[++i], out var p) && p > 0)
        {
            people = p;
        }
        else if (args[i] == "--clickhouse" && i + 1 < args.Length)
        {
            clickHouse = args[++i];
        }
        else
        {
            Console.Error.WriteLine("usage: funnel [--people N] [--clickhouse clickhouse://HOST:PORT/DB?cluster=NAME]");
            return 2;
        }
    }

    return await Pretzel.Bench.Funnel.FunnelMacroBenchmark.RunAsync(people, clickHouse).ConfigureAwait(false);
}

if (args.Length == 2 && args[0] == "read-stages")
{
    ReadStageProbe.Run(args[1]);
    return 0;
}

if (args.Length == 2 && args[0] == "read")
{
    // Only the read/validate/normalise stage, into a store that discards: for profiling.
    using var store = new Pretzel.Bench.Import.NullStore();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var report = await new Pretzel.Ingest.Import.EventImporter(store, Pretzel.Ingest.Projects.ProjectSettings.Default, TimeProvider.System)
        .ImportFileAsync(args[1], new Pretzel.Ingest.Import.ImportOptions()).ConfigureAwait(false);
    Console.WriteLine($"{report.Rows:N0} rows in {sw.Elapsed.TotalSeconds:F2} s: {report.Rows / sw.Elapsed.TotalSeconds:N0}/s");
    return 0;
}

if (args.Length >= 1 && args[0] == "lean-row")
{
    // lean-row [--events N]: prototype of a lean stored row (id codes + message hash, `events` as a view) vs today's table, write and read side
    var events = 1_000_000;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--events" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n > 0)
        {
            events = n;
        }
        else
        {
            Console.Error.WriteLine("usage: lean-row [--events N]");
            return 2;
        }
    }

    return await LeanRowProbe.RunAsync(events).ConfigureAwait(false);
}

if (args.Length == 0 || args[0] == "import")
{
    var events = 2_000_000;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--events" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n > 0)
        {
            events = n;
        }
        else
        {
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: import [--events N]");
            return 2;
        }
    }

    return await ImportMacroBenchmark.RunAsync(events).ConfigureAwait(false);
}

Console.Error.WriteLine($"unknown benchmark '{args[0]}'; use 'import', 'stores', 'collector', 'funnel', 'paths' or 'micro'");
return 2;
