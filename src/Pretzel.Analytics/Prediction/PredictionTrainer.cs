using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>The time-split evaluation of the three models, and the model trained on every labelled journey.</summary>
public sealed record PredictionEvaluation(PredictionWindow Window, IReadOnlyList<EvaluationRow> Metrics, IReadOnlyList<CalibrationRow> Calibration);

/// <summary>
/// Trains and measures the models over person-sorted columns: samples are open journeys at weekly moments (see
/// <see cref="PredictionWindow"/>), labelled by whether they converted within the horizon.
/// </summary>
public static class PredictionTrainer
{
    /// <summary>
    /// Trains the three models on journeys before the cut-off and scores the journeys that started after it, on moments
    /// whose horizon is observed: AUC, log loss, Brier score and calibration per model.
    /// </summary>
    public static PredictionEvaluation Evaluate(EventColumns columns, JourneyStages stages, PredictionOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var window = PredictionWindow.Of(FirstMicros(columns), options);
        window.RequireSplit();
        var cutoff = EventTime.ToMicros(window.Cutoff);
        var layout = FeatureLayout.Build(columns, options, cutoff);
        var kernel = new FeatureKernel(columns, options, layout, stages);
        var train = kernel.Samples(window.TrainSnapshots);
        var holdout = kernel.Samples(window.HoldoutSnapshots, first => first >= cutoff);
        progress?.Report(20);
        var (ensemble, _) = SupervisedTraining.Train(train);
        progress?.Report(70);
        var markov = MarkovPredictor.Train(columns, options, layout, cutoff);
        var baseline = StageBaseline.Train(train, stages.Model.Stages.Count);
        var y = holdout.Label;
        var scored = new (string Model, double[] P)[]
        {
            (PredictionModels.LightGbm, [.. Enumerable.Range(0, holdout.Count).Select(s => ensemble.Probability(holdout.Row(s)))]),
            (PredictionModels.Markov, [.. Enumerable.Range(0, holdout.Count).Select(s => markov.Probability(Recent(holdout, s), holdout.PathLength[s]))]),
            (PredictionModels.Baseline, [.. Enumerable.Range(0, holdout.Count).Select(s => baseline.Probability(holdout.Stage[s]))]),
        };
        var conversions = y.LongCount(l => l);
        var metrics = scored.Select(m => new EvaluationRow(m.Model, PredictionMetrics.Auc(m.P, y), PredictionMetrics.LogLoss(m.P, y), PredictionMetrics.Brier(m.P, y),
            PredictionMetrics.CalibrationError(m.P, y), holdout.Count, conversions, train.Count, window.Cutoff)).ToList();
        var calibration = scored.SelectMany(m => PredictionMetrics.Calibration(m.P, y).Select(b => new CalibrationRow(m.Model, b.Bin, b.Samples, b.Predicted, b.Observed))).ToList();
        progress?.Report(100);
        return new PredictionEvaluation(window, metrics, calibration);
    }

    /// <summary>
    /// The model to score with: trained on every moment whose horizon is observed (the chain on every journey up to the
    /// end), carrying <paramref name="evaluation"/>'s measures of the same recipe.
    /// </summary>
    public static PredictionModel Fit(EventColumns columns, JourneyStages stages, PredictionOptions options, PredictionEvaluation? evaluation, DateTime trainedAt)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var window = PredictionWindow.Of(FirstMicros(columns), options);
        var end = EventTime.ToMicros(options.To);
        var layout = FeatureLayout.Build(columns, options, end);
        var samples = new FeatureKernel(columns, options, layout, stages).Samples(window.LabelledSnapshots);
        var (ensemble, zip) = SupervisedTraining.Train(samples);
        return new PredictionModel
        {
            TrainedAt = trainedAt,
            Fingerprint = options.Fingerprint,
            TouchDefinition = options.TouchDefinition,
            Touch = options.Touch,
            ConversionEvents = options.ConversionEvents,
            Lookback = options.Lookback,
            Horizon = options.Horizon,
            Order = options.Order,
            StageModel = stages.Model.Name,
            TrainedFrom = EventTime.FromMicros(window.LabelledSnapshots[0]),
            TrainedTo = EventTime.FromMicros(window.LabelledSnapshots[^1]),
            TrainSamples = samples.Count,
            TrainConversions = samples.Label.LongCount(l => l),
            Layout = layout,
            Ensemble = ensemble,
            MlModel = zip,
            Markov = MarkovPredictor.Train(columns, options, layout, end),
            Baseline = StageBaseline.Train(samples, stages.Model.Stages.Count),
            Metrics = evaluation?.Metrics ?? [],
        };
    }

    internal static ReadOnlySpan<int> Recent(JourneySamples samples, int s) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(samples.LastTouches).Slice(s * samples.Order, samples.Order);

    /// <summary>The earliest event time (the columns are sorted by person, not time).</summary>
    internal static long FirstMicros(EventColumns columns)
    {
        if (columns.Count == 0)
        {
            throw new Paths.PathException("no events to predict from");
        }

        var min = long.MaxValue;
        foreach (var m in columns.Micros)
        {
            min = Math.Min(min, m);
        }

        return min;
    }
}
