using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;
using Pretzel.Storage.DuckDb;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Prediction;

/// <summary>
/// Scoring open journeys: a model trained on the demo data (20,000 people), then N synthetic open journeys (about 10
/// events each, over the model's channels, in the 60 days before the moment of prediction) scored by all three models,
/// without next best touch, with it as first built (<see cref="PerCandidateScorer"/>, the before) and as now (flipped
/// splits), over every touch and over the default candidates; against the path table over the same columns (a kernel
/// that reads every event once) as the baseline in the same run. Checks that before and now give the same answers.
/// Goal: the whole <c>--open</c> work for 1M open journeys in at most 5 s.
/// </summary>
public static class PredictionMacroBenchmark
{
    public static async Task<int> RunAsync(int journeys)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pretzel-bench-predict-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            using var store = DuckDbEventStore.Open(Path.Combine(dir, "events.duckdb"));
            await LoadAsync(store, 20_000).ConfigureAwait(false);
            var demo = await store.ReadEventColumnsAsync().ConfigureAwait(false);
            var to = EventTime.FromMicros(demo.Micros.Max());
            var options = new PredictionOptions { To = to };
            var demoStages = await JourneyStages.MatchAsync(demo, options.Stages, store).ConfigureAwait(false);
            PredictionModel model = null!;
            var train = Best(1, () => model = PredictionTrainer.Fit(demo, demoStages, options, null, to));

            var columns = Synthetic(journeys, model.Layout.Touches.Take(model.Layout.Touches.Count - 1).ToArray(), to);
            var baseline = Best(3, () => PathKernel.Compute(columns, new PathOptions { To = to }));
            JourneyStages stages = null!;
            var match = Best(3, () => stages = JourneyStages.MatchAsync(columns, options.Stages, null).GetAwaiter().GetResult());
            var kernel = new FeatureKernel(columns, options, model.Layout, stages);
            var features = Best(3, () => kernel.ForEachRange([EventTime.ToMicros(to)], null, (_, _) => { }));
            var every = model.Layout.Touches.Take(model.Layout.Touches.Count - 1).ToList();
            var plain = new ProspectScorer(model, []);
            var before = new PerCandidateScorer(model, every);
            var full = new ProspectScorer(model, every);
            var actionable = new ProspectScorer(model, null);
            ProspectScores old = null!, scores = null!;
            Best(1, () => full.Score(columns, stages, options));
            var scoreOnly = Best(3, () => plain.Score(columns, stages, options));
            var withBefore = Best(3, () => old = before.Score(columns, stages, options));
            var withNext = Best(3, () => scores = full.Score(columns, stages, options));
            var withDefault = Best(3, () => actionable.Score(columns, stages, options));
            var (differences, maxDifference) = Compare(old, scores);
            var (reading, flipped) = TreesPerCandidate(kernel, model, every, to);
            var perProspect = PerProspect(kernel, model, every, to);

            Console.WriteLine();
            Console.WriteLine($"prediction benchmark — {columns.PersonCount:N0} open journeys, {columns.Count:N0} events, {model.Ensemble.TreeCount} trees, "
                + $"{full.Candidates.Count} candidate touches ({actionable.Candidates.Count} by default), {Environment.ProcessorCount} cores");
            Console.WriteLine($"  training on the demo (20,000 people, {model.TrainSamples:N0} samples)      {Ms(train)}");
            Console.WriteLine($"  path table over the same columns (baseline)           {Ms(baseline)}");
            Console.WriteLine($"  stage matching (journey model)                        {Ms(match)}   = {match / baseline:N2}× the baseline");
            Console.WriteLine($"  features only                                         {Ms(features)}   = {features / baseline:N2}× the baseline");
            Console.WriteLine($"  features + 3 models                                   {Ms(scoreOnly)}   = {scoreOnly / baseline:N2}× the baseline");
            Console.WriteLine($"  + next best touch, {full.Candidates.Count} touches, per candidate (before)  {Ms(withBefore)}   = {withBefore / baseline:N2}× the baseline");
            Console.WriteLine($"  + next best touch, {full.Candidates.Count} touches, flipped splits (now)   {Ms(withNext)}   = {withNext / baseline:N2}× the baseline; {scores.Count:N0} scored");
            Console.WriteLine($"  + next best touch, {actionable.Candidates.Count} default touches (now)         {Ms(withDefault)}   = {withDefault / baseline:N2}× the baseline");
            Console.WriteLine($"  whole --open work before (stages + scoring + next)    {Ms(match + withBefore)}");
            Console.WriteLine($"  whole --open work now    (stages + scoring + next)    {Ms(match + withNext)}   goal ≤ 5,000 ms at 1M journeys");
            Console.WriteLine($"  whole --open work now, {actionable.Candidates.Count} default touches               {Ms(match + withDefault)}");
            Console.WriteLine($"  trees evaluated again per prospect and candidate: {reading:N1} before (every tree reading its features), {flipped:N2} now (splits that flip)");
            Console.WriteLine($"  one thread, per prospect: {perProspect}");
            Console.WriteLine($"  now vs before: {differences:N0} prospects with another next best touch, largest probability/uplift difference {maxDifference:G3}");
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

    /// <summary>One thread over the first range of prospects' features: nanoseconds per prospect of each part of scoring.</summary>
    private static string PerProspect(FeatureKernel kernel, PredictionModel model, List<string> touches, DateTime to)
    {
        JourneySamples samples = null!;
        kernel.ForEachRange([EventTime.ToMicros(to)], null, (r, part) =>
        {
            if (r == 0)
            {
                samples = part;
            }
        });
        var n = samples.Count;
        var layout = model.Layout;
        var candidates = touches.Select(t => layout.Touches.ToList().IndexOf(t)).ToArray();
        var splits = new CandidateSplits(model.Ensemble, layout, candidates);
        var flips = new CandidateSplits.Flips(candidates.Length, model.Ensemble.TreeCount);
        var values = new double[model.Ensemble.TreeCount];
        var sink = 0.0;
        var trees = Best(5, () =>
        {
            for (var s = 0; s < n; s++)
            {
                sink += model.Ensemble.Probability(samples.Row(s));
            }
        });
        var walk = Best(5, () =>
        {
            var x = new float[samples.Width];
            for (var s = 0; s < n; s++)
            {
                samples.Row(s).CopyTo(x);
                sink += splits.Walk(samples.Row(s), x, samples.LastTouch(s), values, flips).Touched;
            }
        });
        var none = Best(5, () => new ProspectScorer(model, []).Score(samples));
        var all = Best(5, () => new ProspectScorer(model, touches).Score(samples));
        string Ns(TimeSpan t) => $"{t.TotalMilliseconds * 1e6 / n:N0} ns";
        return $"{n:N0} prospects: 100 trees {Ns(trees)}, both walks with flips {Ns(walk)}, 3 models {Ns(none)}, 3 models + next best touch {Ns(all)}{(sink == 0 ? " " : "")}";
    }

    /// <summary>Over the first range of prospects: trees per candidate that read its features, and trees whose split on them flips.</summary>
    private static (double Reading, double Flipped) TreesPerCandidate(FeatureKernel kernel, PredictionModel model, List<string> touches, DateTime to)
    {
        var layout = model.Layout;
        var candidates = touches.Select(t => layout.Touches.ToList().IndexOf(t)).ToArray();
        var splits = new CandidateSplits(model.Ensemble, layout, candidates);
        var trees = model.Ensemble.TreeCount;
        var flips = new CandidateSplits.Flips(candidates.Length, trees);
        var values = new double[trees];
        var (reading, flipped, n) = (0L, 0L, 0L);
        kernel.ForEachRange([EventTime.ToMicros(to)], null, (r, samples) =>
        {
            if (r != 0)
            {
                return;
            }

            var x = new float[samples.Width];
            for (var s = 0; s < samples.Count; s++)
            {
                var last = samples.LastTouch(s);
                samples.Row(s).CopyTo(x);
                x[FeatureLayout.TouchCount]++;
                x[FeatureLayout.EventCount]++;
                x[FeatureLayout.SessionCount] += samples.NewSession[s] ? 1 : 0;
                x[FeatureLayout.DaysSinceLastTouch] = 0;
                x[layout.Last(last)] = 0;
                splits.Walk(samples.Row(s), x, last, values, flips);
                for (var k = 0; k < candidates.Length; k++)
                {
                    var c = candidates[k];
                    var own = model.Ensemble.TreesReading(f => f == layout.Count(c) || f == layout.Last(c) || (x[layout.Count(c)] == 0 && f == FeatureLayout.DistinctTouches) || f == layout.Pair(last, c));
                    reading += own.Length;
                    flipped += flips.Of(k).Length + (x[layout.Count(c)] == 0 ? flips.Distinct.Length : 0);
                    n++;
                }

                if (s >= 2000)
                {
                    break;
                }
            }
        });
        return ((double)reading / n, (double)flipped / n);
    }

    /// <summary>How many prospects' next best touch differs between two scorings, and the largest difference of a probability or uplift.</summary>
    private static (int Differences, double Max) Compare(ProspectScores a, ProspectScores b)
    {
        if (a.Count != b.Count)
        {
            throw new InvalidOperationException($"{a.Count} prospects before, {b.Count} now");
        }

        var (differences, max) = (0, 0.0);
        for (var m = 0; m < 2; m++)
        {
            for (var s = 0; s < a.Count; s++)
            {
                differences += a.Best[m][s] == b.Best[m][s] ? 0 : 1;
                max = Math.Max(max, Math.Max(Math.Abs(a.Probability[m][s] - b.Probability[m][s]), Math.Abs(a.Uplift[m][s] - b.Uplift[m][s])));
            }
        }

        return (differences, max);
    }

    /// <summary>People with 4–16 events over the model's channels and a few page names in the 60 days before <paramref name="to"/>, none converted.</summary>
    private static EventColumns Synthetic(int people, string[] channels, DateTime to)
    {
        var random = new Random(7);
        string[] names = ["home", "pricing", "blog", "features", "sign_up", "email_opened", "docs"];
        var starts = new int[people + 1];
        var counts = new int[people];
        for (var p = 0; p < people; p++)
        {
            counts[p] = random.Next(4, 17);
            starts[p + 1] = starts[p] + counts[p];
        }

        var n = starts[^1];
        var micros = new long[n];
        var types = new byte[n];
        var events = new int[n];
        var channel = new int[n];
        var none = new int[n];
        Array.Fill(none, -1);
        var end = EventTime.ToMicros(to);
        const long Day = 86_400_000_000;
        for (var p = 0; p < people; p++)
        {
            var t = end - (random.NextInt64(1, 60) * Day);
            for (var i = starts[p]; i < starts[p + 1]; i++)
            {
                t = Math.Min(end, t + random.NextInt64(60_000_000, 5 * Day));
                micros[i] = t;
                events[i] = random.Next(names.Length);
                types[i] = (byte)(events[i] is 4 or 5 ? EventType.Track : EventType.Page);
                channel[i] = random.Next(3) == 0 ? random.Next(channels.Length) : -1;
            }

            // Every journey has at least its first touch.
            channel[starts[p]] = random.Next(channels.Length);
        }

        return new EventColumns([.. Enumerable.Range(0, people).Select(p => "p" + p)], starts, micros, types,
            new CodedColumn(events, names), new CodedColumn(channel, channels), new CodedColumn(none, []), new CodedColumn((int[])none.Clone(), []),
            new CodedColumn((int[])none.Clone(), []), new double[n].Select(_ => double.NaN).ToArray(), [.. Enumerable.Range(0, n).Select(i => (long)i)]);
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,10:N1} ms";
}
