using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Prediction;

/// <summary>Random people and options for the prediction tests.</summary>
internal static class PredictionData
{
    internal static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly (string Name, string Type)[] Names =
        [("home", "page"), ("pricing", "page"), ("blog", "page"), ("purchase", "track"), ("email_opened", "track"), ("sign_up", "track"), ("refused", "track"), ("order_completed", "track")];

    private static readonly string?[] Channels = [null, "email", "paid_search", "direct", "display"];
    private static readonly string?[] Campaigns = [null, "spring", "fall"];

    /// <summary>Up to 40 people of up to 25 events over 60 days; minutes apart often enough to share sessions.</summary>
    internal static readonly Gen<List<PersonJourney>> People =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, 60 * 24 * 6], Gen.Int[0, Channels.Length - 1], Gen.Int[0, Campaigns.Length - 1]).Array[0, 25].Array[1, 40]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddMinutes(e.Item2 * 10)), $"m{i:D3}", Names[e.Item1].Type, Names[e.Item1].Name,
                    Channels[e.Item3], null, null, Campaigns[e.Item4]))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    internal static readonly Gen<PredictionOptions> Options =
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 40], Gen.Int[1, 20], Gen.Int[1, 4], Gen.Bool)
            .Select((touch, lookbackDays, horizonDays, order, both) => new PredictionOptions
            {
                Touch = (TouchKind)touch,
                Lookback = TimeSpan.FromDays(lookbackDays),
                Horizon = TimeSpan.FromDays(horizonDays),
                Order = order,
                To = T0.AddDays(61),
                ConversionEvents = both ? ["purchase", "order_completed"] : ["purchase"],
            });

    /// <summary>Moments every 3 days through the data.</summary>
    internal static long[] Moments() => [.. Enumerable.Range(1, 20).Select(d => EventTime.ToMicros(T0.AddDays(3 * d)))];

    /// <summary>The columns, stages and layout of <paramref name="people"/>.</summary>
    internal static (EventColumns Columns, JourneyStages Stages, FeatureLayout Layout) Prepare(List<PersonJourney> people, PredictionOptions options)
    {
        var columns = JourneyColumns.FromJourneys(people);
        var stages = JourneyStages.MatchAsync(columns, options.Stages, null).GetAwaiter().GetResult();
        var layout = FeatureLayout.Build(columns, options, long.MaxValue);
        return (columns, stages, layout);
    }

    /// <summary>
    /// A model whose trees have random shapes (up to 15 splits) and split at random on every kind of feature, at
    /// thresholds a journey's counts cross (0.5, 1.5, 2.5 for counts, flags and transitions; anywhere up to 6 for the
    /// journey measures), so that every shortcut of next best touch is exercised: splits that flip near the root and deep
    /// down, on a candidate's count, flag, transition and on the distinct-touch count.
    /// </summary>
    internal static PredictionModel RandomModel(EventColumns columns, JourneyStages stages, PredictionOptions options, FeatureLayout layout, int seed)
    {
        var random = new Random(seed);
        var trees = Enumerable.Range(0, 12).Select(_ => RandomTree(random, layout, random.Next(0, 16))).ToList();
        var samples = new FeatureKernel(columns, options, layout, stages).Samples(Moments());
        return new PredictionModel
        {
            Fingerprint = options.Fingerprint, TouchDefinition = options.TouchDefinition, Touch = options.Touch, ConversionEvents = options.ConversionEvents,
            Horizon = options.Horizon, Lookback = options.Lookback, Order = options.Order, StageModel = options.Stages.Name,
            Layout = layout, Ensemble = new TreeEnsemble(trees, 0.1, -1, 0), MlModel = [],
            Markov = MarkovPredictor.Train(columns, options, layout, EventTime.ToMicros(options.To)),
            Baseline = StageBaseline.Train(samples, options.Stages.Stages.Count),
        };
    }

    /// <summary>A random binary tree of <paramref name="nodes"/> splits, node 0 the root, each split's remaining splits shared at random between its sides.</summary>
    private static TreeEnsemble.Tree RandomTree(Random random, FeatureLayout layout, int nodes)
    {
        var (feature, threshold, left, right, leaf) = (new List<int>(), new List<float>(), new List<int>(), new List<int>(), new List<double>());
        int Make(int remaining)
        {
            if (remaining == 0)
            {
                leaf.Add((random.NextDouble() * 2) - 1);
                return ~(leaf.Count - 1);
            }

            var node = feature.Count;
            var f = random.Next(layout.Length);
            feature.Add(f);
            threshold.Add(f <= FeatureLayout.DistinctTouches ? (float)(random.NextDouble() * 6) : random.Next(3) + 0.5f);
            left.Add(0);
            right.Add(0);
            var toLeft = random.Next(remaining);
            left[node] = Make(toLeft);
            right[node] = Make(remaining - 1 - toLeft);
            return node;
        }

        Make(nodes);
        return new TreeEnsemble.Tree([.. feature], [.. threshold], [.. left], [.. right], [.. leaf], 1);
    }
}
