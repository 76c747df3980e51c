using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;
using Pretzel.Storage.DuckDb;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Prediction;

/// <summary>
/// Scoring open journeys: a model trained on the demo data (20,000 people), then N synthetic open journeys (about 10
/// events each, over the model's channels, in the 60 days before the moment of prediction) scored by all three models,
/// with and without next-best-touch; against the path table over the same columns (a kernel that reads every event
/// once) as the baseline in the same run. Goal: 1M open journeys scored in at most 5 s.
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
            var plain = new ProspectScorer(model, []);
            var full = new ProspectScorer(model, null);
            ProspectScores scores = null!;
            Best(1, () => full.Score(columns, stages, options));
            var scoreOnly = Best(3, () => scores = plain.Score(columns, stages, options));
            var withNext = Best(3, () => scores = full.Score(columns, stages, options));

            Console.WriteLine();
            Console.WriteLine($"prediction benchmark — {columns.PersonCount:N0} open journeys, {columns.Count:N0} events, {model.Ensemble.TreeCount} trees, "
                + $"{full.Candidates.Count} candidate touches, {Environment.ProcessorCount} cores");
            Console.WriteLine($"  training on the demo (20,000 people, {model.TrainSamples:N0} samples)      {Ms(train)}");
            Console.WriteLine($"  path table over the same columns (baseline)           {Ms(baseline)}");
            Console.WriteLine($"  stage matching (journey model)                        {Ms(match)}");
            Console.WriteLine($"  features only                                         {Ms(features)}   = {features / baseline:N1}× the baseline");
            Console.WriteLine($"  features + 3 models                                   {Ms(scoreOnly)}   = {scoreOnly / baseline:N1}× the baseline");
            Console.WriteLine($"  features + 3 models + next best touch (2 models)      {Ms(withNext)}   = {withNext / baseline:N1}× the baseline; {scores.Count:N0} scored");
            Console.WriteLine($"  whole --open work (stages + scoring + next best)      {Ms(match + withNext)}   goal ≤ 5,000 ms at 1M journeys");
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
