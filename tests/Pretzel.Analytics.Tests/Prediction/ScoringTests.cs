using CsCheck;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Prediction;

/// <summary>The flat tree scorer against ML.NET, saving and loading, and the next-best-touch shortcut against the reference.</summary>
public sealed class ScoringTests
{
    [Fact]
    public void The_flat_ensemble_gives_ML_NET_probabilities_and_survives_saving()
    {
        var people = PredictionData.People.Array[8].Single(g => g.Sum(p => p.Count) >= 60 && g.Sum(p => p.Count(x => x.Events.Any(e => e.Name == "purchase"))) >= 30, seed: "0N0XIzNsQ0O2")
            ?? throw new InvalidOperationException();
        var all = people.SelectMany((g, i) => g.Select(p => p with { PersonId = $"{i}-{p.PersonId}" })).ToList();
        var options = new PredictionOptions { To = PredictionData.T0.AddDays(61), Lookback = TimeSpan.FromDays(40), Horizon = TimeSpan.FromDays(15) };
        var (columns, stages, layout) = PredictionData.Prepare(all, options);
        var samples = new FeatureKernel(columns, options, layout, stages).Samples(PredictionData.Moments());
        Assert.Contains(true, samples.Label);
        Assert.Contains(false, samples.Label);

        var (ensemble, zip) = SupervisedTraining.Train(samples);
        Assert.True(ensemble.TreeCount > 0);
        var expected = SupervisedTraining.MlNetProbabilities(zip, samples);
        var mine = Enumerable.Range(0, samples.Count).Select(s => ensemble.Probability(samples.Row(s))).ToList();
        Assert.Equal(samples.Count, expected.Length);
        for (var s = 0; s < samples.Count; s++)
        {
            Assert.Equal(expected[s], mine[s], 5);
        }

        // Not all one value: the trees split on something.
        Assert.True(mine.Distinct().Count() > 1);

        var model = PredictionTrainer.Fit(columns, stages, options, null, PredictionData.T0);
        var folder = Path.Combine(Path.GetTempPath(), "pretzel-predict-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (saved, _) = PredictionModelFiles.Save(folder, model);
            var (second, _) = PredictionModelFiles.Save(folder, model);
            Assert.Equal([1, 2], PredictionModelFiles.Versions(folder));
            Assert.Equal((1, 2), (saved.Version, second.Version));
            var loaded = PredictionModelFiles.Load(folder)!;
            Assert.Equal(2, loaded.Version);
            Assert.Equal(model.Layout.Names, loaded.Layout.Names);
            for (var s = 0; s < samples.Count; s++)
            {
                Assert.Equal(model.Ensemble.Probability(samples.Row(s)), loaded.Ensemble.Probability(samples.Row(s)), 12);
                var recent = PredictionTrainer.Recent(samples, s);
                Assert.Equal(model.Markov.Probability(recent, samples.PathLength[s]), loaded.Markov.Probability(recent, samples.PathLength[s]), 12);
            }

            loaded.CheckFits(options, "v2");
            var other = Assert.Throws<PathException>(() => loaded.CheckFits(options with { Touch = TouchKind.Event }, "v2"));
            Assert.Contains("touch=event", other.Message, StringComparison.Ordinal);
            Assert.Throws<PathException>(() => loaded.CheckFits(options with { Horizon = TimeSpan.FromDays(3) }, "v2"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Next_best_touch_is_the_reference_argmax_over_touches_added_now()
    {
        Gen.Select(PredictionData.People, PredictionData.Options, Gen.Int[0, 1000]).Sample((people, options, seed) =>
        {
            var (columns, stages, layout) = PredictionData.Prepare(people, options);
            var model = PredictionData.RandomModel(columns, stages, options, layout, seed);
            var scorer = new ProspectScorer(model, null);
            var scores = scorer.Score(columns, stages, options);
            var to = EventTime.ToMicros(options.To);
            var candidates = scorer.Candidates;
            var s = 0;
            for (var p = 0; p < people.Count; p++)
            {
                if (PredictionReference.Features(people[p], to, options, layout) is not { } now)
                {
                    continue;
                }

                Assert.Equal(p, scores.Person[s]);
                var pNow = model.Ensemble.Probability(now.Features);
                Assert.Equal(pNow, scores.Probability[0][s], 12);
                var gains = candidates.Select(c => model.Ensemble.Probability(PredictionReference.Features(people[p], to, options, layout, c)!.Value.Features) - pNow).ToList();
                var best = gains.Count == 0 ? -1 : gains.IndexOf(gains.Max());
                if (best >= 0 && gains[best] > 2 * ProspectScorer.MinUplift)
                {
                    Assert.Equal(gains[best], scores.Uplift[0][s], 9);
                    Assert.Equal(gains[best], gains[scores.Best[0][s]], 9);
                }
                else if (best < 0 || gains[best] < ProspectScorer.MinUplift / 2)
                {
                    Assert.Equal(-1, scores.Best[0][s]);
                }

                s++;
            }

            Assert.Equal(s, scores.Count);
        }, iter: 150);
    }

    [Fact]
    public void Metrics_match_their_definitions()
    {
        Gen.Select(Gen.Double[0, 1].Array[2, 60], Gen.Bool.Array[60]).Sample((p, y0) =>
        {
            var y = y0.Take(p.Length).ToArray();
            var pairs = 0.0;
            var wins = 0.0;
            for (var i = 0; i < p.Length; i++)
            {
                for (var j = 0; j < p.Length; j++)
                {
                    if (y[i] && !y[j])
                    {
                        pairs++;
                        wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                    }
                }
            }

            var auc = PredictionMetrics.Auc(p, y);
            if (pairs == 0)
            {
                Assert.True(double.IsNaN(auc));
            }
            else
            {
                Assert.Equal(wins / pairs, auc, 12);
            }

            Assert.Equal(p.Zip(y).Average(x => Math.Pow(x.First - (x.Second ? 1 : 0), 2)), PredictionMetrics.Brier(p, y), 12);
            var bins = PredictionMetrics.Calibration(p, y);
            Assert.Equal(p.Length, bins.Sum(b => b.Samples));
            Assert.InRange(PredictionMetrics.CalibrationError(p, y), 0, 1);
        });
    }
}
