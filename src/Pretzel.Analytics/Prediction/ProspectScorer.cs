using Pretzel.Analytics.Kernels;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Scores open journeys with a <see cref="PredictionModel"/>: each journey's features once, then for each candidate
/// touch the features as if that touch happened now (one more touch and event, a new session if the last event is over
/// 30 minutes old, no time since the last touch, the touch counted, last and in its transition from the previous last
/// touch; the stage is unchanged). Only the trees whose path flips at a split on a candidate's own features are evaluated
/// again per candidate (<see cref="CandidateSplits"/>); the chain's probabilities are worked out once per state. The
/// next best touch is the candidate with the largest uplift, none when no candidate raises the probability. The uplift
/// is what the model associates with the touch, a correlational estimate, not the effect a controlled experiment would
/// measure.
/// </summary>
public sealed class ProspectScorer
{
    /// <summary>Uplifts up to this are rounding, not advice.</summary>
    public const double MinUplift = 1e-9;

    private readonly PredictionModel _model;
    private readonly int[] _candidates;
    private readonly CandidateSplits _splits;

    /// <summary>
    /// A scorer whose next best touch is one of <paramref name="candidates"/> (touch names the model knows), or with null
    /// the touches a business can send or buy (<see cref="CandidateTouches.Default"/>).
    /// </summary>
    public ProspectScorer(PredictionModel model, IReadOnlyList<string>? candidates)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        var layout = model.Layout;
        if (model.Ensemble.MaxFeature >= layout.Length)
        {
            throw new PathException($"the model's trees read feature {model.Ensemble.MaxFeature} of {layout.Length}: the model files do not belong together");
        }

        var known = layout.Touches.Take(layout.Touches.Count - 1).ToList();
        foreach (var name in candidates?.Where(n => !known.Contains(n)) ?? [])
        {
            throw new PathException($"--touches {name}: not a touch the model knows; expected some of {string.Join(", ", known)}");
        }

        var chosen = candidates ?? CandidateTouches.Default(known, model.Touch, model.ConversionEvents);
        _candidates = [.. Enumerable.Range(0, known.Count).Where(i => chosen.Contains(known[i]))];
        _splits = new CandidateSplits(model.Ensemble, layout, _candidates);
    }

    /// <summary>The candidate touches, as names, in the model's touch order.</summary>
    public IReadOnlyList<string> Candidates => [.. _candidates.Select(c => _model.Layout.Touches[c])];

    /// <summary>The open journeys of <paramref name="columns"/> at <paramref name="options"/>' end, scored.</summary>
    public ProspectScores Score(EventColumns columns, JourneyStages stages, PredictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        var kernel = new FeatureKernel(columns, options with { Order = _model.Order }, _model.Layout, stages);
        var parts = new ProspectScores[PersonKernel.Ranges(columns.PersonCount).Length];
        kernel.ForEachRange([EventTime.ToMicros(options.To)], null, (r, samples) => parts[r] = Score(samples));
        var all = new ProspectScores(_candidates.Length);
        foreach (var part in parts)
        {
            all.Append(part);
        }

        return all;
    }

    /// <summary>Scores samples (features already extracted).</summary>
    internal ProspectScores Score(JourneySamples samples)
    {
        var k = _candidates.Length;
        var result = new ProspectScores(k);
        for (var m = 0; m < 3; m++)
        {
            result.Gain[m] = new double[k];
            result.BestFor[m] = new long[k];
        }

        var ensemble = _model.Ensemble;
        var layout = _model.Layout;
        var x = new float[samples.Width];
        var values = new double[ensemble.TreeCount];
        var flips = new CandidateSplits.Flips(k, ensemble.TreeCount);
        var chain = new ChainCandidates(_model.Markov, _candidates);
        for (var s = 0; s < samples.Count; s++)
        {
            var row = samples.Row(s);
            var last = samples.LastTouch(s);
            result.Person.Add(samples.Person[s]);
            result.Stage.Add(samples.Stage[s]);
            result.LastTouch.Add(last);
            result.LastTouchTime.Add(samples.LastTouchTime[s]);

            // The supervised model: the journey now, then as if each candidate touch happened now.
            if (k == 0)
            {
                Add(result, 0, ensemble.Probability(row), -1, 0);
                Add(result, 1, _model.Markov.Probability(PredictionTrainer.Recent(samples, s), samples.PathLength[s]), -1, 0);
                Add(result, 2, _model.Baseline.Probability(samples.Stage[s]), -1, 0);
                continue;
            }

            row.CopyTo(x);
            x[FeatureLayout.TouchCount]++;
            x[FeatureLayout.EventCount]++;
            x[FeatureLayout.SessionCount] += samples.NewSession[s] ? 1 : 0;
            x[FeatureLayout.DaysSinceLastTouch] = 0;
            x[layout.Last(last)] = 0;
            var (now, touched) = _splits.Walk(row, x, last, values, flips);
            var p = ensemble.Calibrate(now);
            var pTouched = ensemble.Calibrate(touched);
            var (best, uplift) = (-1, double.NegativeInfinity);
            for (var c = 0; c < k; c++)
            {
                // Most candidates flip no split: their score is the touched journey's (one exp, not one per candidate).
                var score = _splits.Score(c, x, last, touched, values, flips);
                var gain = (score == touched ? pTouched : ensemble.Calibrate(score)) - p;
                result.Gain[0][c] += gain;
                if (gain > uplift)
                {
                    (best, uplift) = (c, gain);
                }
            }

            Add(result, 0, p, best, uplift);

            // The chain: the state now, and the state one touch later (worked out once per state).
            var probabilities = chain.Of(PredictionTrainer.Recent(samples, s), samples.PathLength[s]);
            var pm = probabilities[0];
            (best, uplift) = (-1, double.NegativeInfinity);
            for (var c = 0; c < k; c++)
            {
                var gain = probabilities[c + 1] - pm;
                result.Gain[1][c] += gain;
                if (gain > uplift)
                {
                    (best, uplift) = (c, gain);
                }
            }

            Add(result, 1, pm, best, uplift);

            // The baseline: a touch does not change the stage, so it suggests none.
            Add(result, 2, _model.Baseline.Probability(samples.Stage[s]), -1, 0);
        }

        return result;
    }

    private static void Add(ProspectScores result, int model, double p, int best, double uplift)
    {
        // A touch that raises nothing (beyond rounding) is no advice.
        best = uplift > MinUplift ? best : -1;
        result.Probability[model].Add(p);
        result.Best[model].Add(best);
        result.Uplift[model].Add(best < 0 ? 0 : uplift);
        if (best >= 0)
        {
            result.BestFor[model][best]++;
        }
    }

    /// <summary>
    /// The chain's probability of a state and of the state after each candidate, remembered per state: a journey's chain
    /// probabilities depend only on its last K touches (and on whether it has K yet), of which there are few.
    /// </summary>
    private sealed class ChainCandidates(MarkovPredictor markov, int[] candidates)
    {
        private readonly Dictionary<long, double[]> _known = [];

        internal double[] Of(ReadOnlySpan<int> recent, int length)
        {
            long key = Math.Min(length, markov.Order);
            foreach (var t in recent)
            {
                key = (key << 12) | (uint)(t + 1);
            }

            if (!_known.TryGetValue(key, out var probabilities))
            {
                probabilities = new double[candidates.Length + 1];
                probabilities[0] = markov.Probability(recent, length);
                for (var c = 0; c < candidates.Length; c++)
                {
                    probabilities[c + 1] = markov.Probability(recent, length, candidates[c]);
                }

                _known[key] = probabilities;
            }

            return probabilities;
        }
    }
}
