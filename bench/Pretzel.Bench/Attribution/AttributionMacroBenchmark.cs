using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pretzel.Analytics.Attribution;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Attribution;

/// <summary>
/// Attribution on a generated path table of distinct paths (20 channels, 1–20 touches each, about 1 journey in 6
/// converting) written to a temp file in ChannelAttribution's format: reading it, each model's time (Markov at orders 1–3,
/// with the general-chain computation it replaced as the baseline), and the whole
/// <c>pretzel attribution --paths FILE --models markov</c> process (the Release CLI build) with its peak memory.
/// </summary>
public static class AttributionMacroBenchmark
{
    private static readonly string[] ChannelNames =
    [
        "direct", "organic_search", "paid_search", "paid_social", "organic_social", "email", "referral", "display", "affiliates",
        "sms", "push", "video", "podcast", "tv", "radio", "print", "events", "partner", "retargeting", "influencer",
    ];

    public static int Run(int rows, string? cli)
    {
        var file = Path.Combine(Path.GetTempPath(), $"pretzel-bench-attribution-{Guid.NewGuid().ToString("N")[..8]}.csv");
        try
        {
            var generate = Stopwatch.StartNew();
            var (journeys, conversions) = Generate(file, rows);
            var size = new FileInfo(file).Length;
            Console.WriteLine();
            Console.WriteLine($"attribution benchmark — {rows:N0} distinct paths, {journeys:N0} journeys, {conversions:N0} conversions ({(double)conversions / journeys:P1}), 20 channels, "
                + $"{size / 1e6:N0} MB file, {Environment.ProcessorCount} cores (generated in {generate.Elapsed.TotalSeconds:N1} s)");

            PathFileResult read = null!;
            var reading = Best(3, () => read = AttributionPathFile.Read(file));
            var table = read.Table;
            Console.WriteLine($"  reading the file ({read.Accepted:N0} rows)                 {Ms(reading)}");

            string[] heuristics = [AttributionModels.FirstTouch, AttributionModels.LastTouch, AttributionModels.LastNonDirect, AttributionModels.Linear, AttributionModels.PositionBased];
            var each = heuristics.Select(m => (m, Best(3, () => HeuristicAttribution.Compute(table, m, PositionWeights.Default)))).ToList();
            var allHeuristics = each.Aggregate(TimeSpan.Zero, (sum, x) => sum + x.Item2);
            Console.WriteLine($"  heuristic models, all five (model time)         {Ms(allHeuristics)}   (goal ≤ 300 ms; {string.Join(", ", each.Select(x => $"{x.m} {x.Item2.TotalMilliseconds:N0}"))})");
            var shapley = Best(3, () => ShapleyAttribution.Compute(table));
            Console.WriteLine($"  shapley (exact)                                 {Ms(shapley)}");
            Markov(table, 1, "", baseline: true);
            Markov(table, 2, "", baseline: false);
            Markov(table, 3, "   (goal ≤ 1,500 ms)", baseline: true);
            Console.WriteLine($"  peak working set of this benchmark process      {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,10:N0} MB");
            WholeProcess(file, cli);
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Markov at <paramref name="order"/>, both chains: the model as the product runs it, its two stages (counting both
    /// chains from the table, solving the removal effects), and with <paramref name="baseline"/> the general
    /// <see cref="Analytics.Graph.MarkovChain"/> computation it replaced, in the same run.
    /// </summary>
    private static void Markov(AttributionTable table, int order, string goal, bool baseline)
    {
        var model = Best(3, () => MarkovAttribution.Compute(table, order));
        var weights = MarkovAttribution.Weights(table);
        MarkovCounts counts = null!;
        var counting = Best(3, () => counts = MarkovCounts.Count(table, order, weights, MarkovTuning.Default)!);
        var solving = Best(3, () => MarkovRemovalSolver.RemovalEffects(counts, weights.WithValue, MarkovRemovalSolver.DirectStates));
        Console.WriteLine($"  markov order {order}, both chains (model time)       {Ms(model)}{goal}   ({counts.States:N0} states, {counts.EdgeStart[^1]:N0} transitions: "
            + $"counting {counting.TotalMilliseconds:N0} ms, removal effects {solving.TotalMilliseconds:N1} ms)");
        if (baseline)
        {
            var general = Best(order == 1 ? 3 : 1, () => MarkovAttribution.ComputeWithChain(table, order));
            Console.WriteLine($"  markov order {order}, through the general chain (before) {Ms(general)}");
        }
    }

    /// <summary>Writes <paramref name="rows"/> distinct paths; returns the journeys and conversions written.</summary>
    private static (long Journeys, long Conversions) Generate(string file, int rows)
    {
        var random = new Random(20251123);
        var seen = new HashSet<string>(rows, StringComparer.Ordinal);
        long journeys = 0, conversions = 0;
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("path;total_conversions;total_conversion_value;total_null\n");
        var path = new StringBuilder();
        var touches = new List<int>();
        while (seen.Count < rows)
        {
            touches.Clear();
            var length = random.Next(1, 21);
            for (var i = 0; i < length; i++)
            {
                // Skewed: low channel numbers are common, the tail rare.
                touches.Add((int)(random.NextDouble() * random.NextDouble() * ChannelNames.Length));
            }

            path.Clear();
            foreach (var t in touches)
            {
                path.Append(path.Length == 0 ? "" : " > ").Append(ChannelNames[t]);
            }

            var key = path.ToString();
            if (!seen.Add(key))
            {
                continue;
            }

            // Journeys convert with odds that depend on the touches, about 1 in 6 overall.
            var n = random.Next(1, 8);
            var odds = 0.07 + (touches.Contains(5) ? 0.075 : 0) + (touches.Contains(2) ? 0.06 : 0) + (touches.Count > 10 ? 0.02 : 0);
            var converted = 0;
            for (var j = 0; j < n; j++)
            {
                converted += random.NextDouble() < odds ? 1 : 0;
            }

            var value = converted == 0 ? 0 : Math.Round(converted * (20 + (random.NextDouble() * 180)), 2);
            writer.Write(key);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $";{converted};{value};{n - converted}\n"));
            journeys += n;
            conversions += converted;
        }

        return (journeys, conversions);
    }

    /// <summary>The whole CLI process, best of three, with its peak resident memory from /usr/bin/time.</summary>
    private static void WholeProcess(string file, string? cli)
    {
        cli ??= FindCli();
        if (cli is null || !File.Exists(cli))
        {
            Console.WriteLine($"  whole process: the Release CLI build is missing ({cli ?? "src/Pretzel.Cli/bin/Release/net10.0/pretzel.dll"}); "
                + "build it with: dotnet build src/Pretzel.Cli -c Release");
            return;
        }

        var timed = File.Exists("/usr/bin/time");
        var best = TimeSpan.MaxValue;
        long peakKb = 0;
        string output = "";
        for (var run = 0; run < 3; run++)
        {
            var start = new ProcessStartInfo(timed ? "/usr/bin/time" : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])[.. timed ? ["-f", "%M", "dotnet"] : Array.Empty<string>(), cli, "attribution", "--paths", file, "--models", "markov", "--format", "csv"])
            {
                start.ArgumentList.Add(arg);
            }

            var sw = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var elapsed = sw.Elapsed;
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"  whole process failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
                return;
            }

            output = stdout.Result;
            if (elapsed < best)
            {
                best = elapsed;
                if (timed && long.TryParse(stderr.Result.Trim().Split('\n')[^1], CultureInfo.InvariantCulture, out var kb))
                {
                    peakKb = kb;
                }
            }
        }

        var channels = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Console.WriteLine($"  whole process `pretzel attribution --paths FILE --models markov` {best.TotalMilliseconds:N0} ms, peak RSS {(peakKb > 0 ? $"{peakKb / 1024.0:N0} MB" : "(no /usr/bin/time)")}"
            + $"   (goal ≤ 800 ms; {channels} channel rows)");
    }

    private static string? FindCli()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Pretzel.slnx")))
        {
            folder = folder.Parent;
        }

        return folder is null ? null : Path.Combine(folder.FullName, "src", "Pretzel.Cli", "bin", "Release", "net10.0", "pretzel.dll");
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,10:N1} ms";
}
