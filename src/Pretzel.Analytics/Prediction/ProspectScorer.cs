using Pretzel.Analytics.Kernels;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>Every open prospect at the moment of prediction, scored by the three models, and the totals per touch.</summary>
public sealed class ProspectScores
{
    internal ProspectScores(int candidates) => Candidates = candidates;

    internal int Candidates { get; }

    public List<int> Person { get; } = [];

    public List<byte> Stage { get; } = [];

    public List<int> LastTouch { get; } = [];

    public List<long> LastTouchTime { get; } = [];

    /// <summary>Per model (<see cref="PredictionModels.All"/> order): probabilities, best candidate (-1: none) and its uplift.</summary>
    public List<double>[] Probability { get; } = [[], [], []];

    public List<int>[] Best { get; } = [[], [], []];

    public List<double>[] Uplift { get; } = [[], [], []];

    /// <summary>Per model and candidate: the sum of uplifts over every prospect, and for how many it is the best.</summary>
    internal double[][] Gain { get; } = [[], [], []];

    internal long[][] BestFor { get; } = [[], [], []];

    public int Count => Person.Count;

    internal void Append(ProspectScores other)
    {
        Person.AddRange(other.Person);
        Stage.AddRange(other.Stage);
        LastTouch.AddRange(other.LastTouch);
        LastTouchTime.AddRange(other.LastTouchTime);
        for (var m = 0; m < 3; m++)
        {
            Probability[m].AddRange(other.Probability[m]);
            Best[m].AddRange(other.Best[m]);
            Uplift[m].AddRange(other.Uplift[m]);
            if (Gain[m].Length == 0)
            {
                Gain[m] = new double[Candidates];
                BestFor[m] = new long[Candidates];
            }

            for (var c = 0; c < Candidates; c++)
            {
                Gain[m][c] += other.Gain[m].Length == 0 ? 0 : other.Gain[m][c];
                BestFor[m][c] += other.BestFor[m].Length == 0 ? 0 : other.BestFor[m][c];
            }
        }
    }
}

/// <summary>
/// Scores open journeys with a <see cref="PredictionModel"/>: each journey's features once, then for each candidate
/// touch the features as if that touch happened now (one more touch and event, a new session if the last event is over
/// 30 minutes old, no time since the last touch, the touch counted, last and in its transition from the previous last
/// touch; the stage is unchanged). Only the trees that read a candidate's own features are evaluated again per candidate.
/// The next best touch is the candidate with the largest uplift, none when no candidate raises the probability. The uplift
/// is what the model associates with the touch, a correlational estimate, not the effect a controlled experiment would
/// measure.
/// </summary>
public sealed class ProspectScorer
{
    /// <summary>Uplifts up to this are rounding, not advice.</summary>
    public const double MinUplift = 1e-9;

    private readonly PredictionModel _model;
    private readonly int[] _candidates;
    private readonly int[][] _treesOf;
    private readonly int[] _distinctTrees;
    private readonly int[][] _pairTrees;

    public ProspectScorer(PredictionModel model, IReadOnlyList<string>? candidates)
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
    internal ProspectScores Score(JourneySamples samples)
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
