using Pretzel.Analytics.Kernels;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;

namespace Pretzel.Bench.Prediction;

/// <summary>
/// Next best touch as it was first built, the before in the same run: per candidate, every tree that reads one of the
/// candidate's features is evaluated again (about 20 of 100 per candidate on the demo model), and the chain's
/// probabilities are looked up per prospect and candidate. Kept only to measure against; the bench checks that
/// <see cref="ProspectScorer"/> gives the same answers.
/// </summary>
internal sealed class PerCandidateScorer
{
    private const double MinUplift = ProspectScorer.MinUplift;

    private readonly PredictionModel _model;
    private readonly int[] _candidates;
    private readonly int[][] _treesOf;
    private readonly int[] _distinctTrees;
    private readonly int[][] _pairTrees;

    public PerCandidateScorer(PredictionModel model, IReadOnlyList<string>? candidates)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        var layout = model.Layout;
        if (model.Ensemble.MaxFeature >= layout.Length)
        {
            throw new PathException($"the model's trees read feature {model.Ensemble.MaxFeature} of {layout.Length}: the model files do not belong together");
        }

        var known = Enumerable.Range(0, layout.Touches.Count - 1).ToList();
        if (candidates is not null)
        {
            foreach (var name in candidates.Where(n => !layout.Touches.Take(layout.Touches.Count - 1).Contains(n)))
            {
                throw new PathException($"--touches {name}: not a touch the model knows; expected some of {string.Join(", ", layout.Touches.Take(layout.Touches.Count - 1))}");
            }

            known = [.. known.Where(i => candidates.Contains(layout.Touches[i]))];
        }

        _candidates = [.. known];

        // Per candidate, the trees its own features feed: its count and last-touch flag always, the distinct-touch count
        // only when the journey has not had it yet, and the transition from the current last touch only.
        var ensemble = model.Ensemble;
        _treesOf = [.. _candidates.Select(c => ensemble.TreesReading(f => f == layout.Count(c) || f == layout.Last(c)))];
        _distinctTrees = ensemble.TreesReading(f => f == FeatureLayout.DistinctTouches);
        var t = layout.Touches.Count;
        _pairTrees = new int[t * _candidates.Length][];
        for (var from = 0; from < t; from++)
        {
            for (var k = 0; k < _candidates.Length; k++)
            {
                var feature = layout.Pair(from, _candidates[k]);
                _pairTrees[(from * _candidates.Length) + k] = feature < 0 ? [] : ensemble.TreesReading(f => f == feature);
            }
        }
    }

    /// <summary>The candidate touches, as names.</summary>
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
    private ProspectScores Score(JourneySamples samples)
    {
        var result = new ProspectScores(_candidates.Length);
        for (var m = 0; m < 3; m++)
        {
            result.Gain[m] = new double[_candidates.Length];
            result.BestFor[m] = new long[_candidates.Length];
        }

        var ensemble = _model.Ensemble;
        var layout = _model.Layout;
        var x = new float[samples.Width];
        var values = new double[ensemble.TreeCount];
        var seen = new int[ensemble.TreeCount];
        var stamp = 0;
        for (var s = 0; s < samples.Count; s++)
        {
            var row = samples.Row(s);
            var last = samples.LastTouch(s);
            result.Person.Add(samples.Person[s]);
            result.Stage.Add(samples.Stage[s]);
            result.LastTouch.Add(last);
            result.LastTouchTime.Add(samples.LastTouchTime[s]);

            // The supervised model: the journey now, then as if each candidate touch happened now.
            var p = ensemble.Probability(row);
            row.CopyTo(x);
            x[FeatureLayout.TouchCount]++;
            x[FeatureLayout.EventCount]++;
            x[FeatureLayout.SessionCount] += samples.NewSession[s] ? 1 : 0;
            x[FeatureLayout.DaysSinceLastTouch] = 0;
            x[layout.Last(last)] = 0;
            var touched = ensemble.Bias;
            for (var t = 0; t < values.Length; t++)
            {
                touched += values[t] = ensemble.TreeValue(t, x);
            }

            var (best, uplift) = (-1, double.NegativeInfinity);
            for (var k = 0; k < _candidates.Length; k++)
            {
                var c = _candidates[k];
                var (count, lastC, distinct) = (x[layout.Count(c)], x[layout.Last(c)], x[FeatureLayout.DistinctTouches]);
                var pair = layout.Pair(last, c);
                x[layout.Count(c)]++;
                x[layout.Last(c)] = 1;
                x[FeatureLayout.DistinctTouches] += count == 0 ? 1 : 0;
                if (pair >= 0)
                {
                    x[pair]++;
                }

                // Each tree once, even when it reads several of the candidate's features.
                var score = touched;
                stamp++;
                foreach (var list in (ReadOnlySpan<int[]>)[_treesOf[k], count == 0 ? _distinctTrees : [], _pairTrees[(last * _candidates.Length) + k]])
                {
                    foreach (var t in list)
                    {
                        if (seen[t] != stamp)
                        {
                            seen[t] = stamp;
                            score += ensemble.TreeValue(t, x) - values[t];
                        }
                    }
                }

                x[layout.Count(c)] = count;
                x[layout.Last(c)] = lastC;
                x[FeatureLayout.DistinctTouches] = distinct;
                if (pair >= 0)
                {
                    x[pair]--;
                }

                var gain = ensemble.Calibrate(score) - p;
                result.Gain[0][k] += gain;
                if (gain > uplift)
                {
                    (best, uplift) = (k, gain);
                }
            }

            Add(result, 0, p, best, uplift);

            // The chain: the state now, and the state one touch later.
            var recent = PredictionTrainer.Recent(samples, s);
            var length = samples.PathLength[s];
            var pm = _model.Markov.Probability(recent, length);
            (best, uplift) = (-1, double.NegativeInfinity);
            for (var k = 0; k < _candidates.Length; k++)
            {
                var gain = _model.Markov.Probability(recent, length, _candidates[k]) - pm;
                result.Gain[1][k] += gain;
                if (gain > uplift)
                {
                    (best, uplift) = (k, gain);
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
}
