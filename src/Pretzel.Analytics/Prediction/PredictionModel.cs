using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// A trained prediction: the feature layout, the supervised trees (and the ML.NET model file they came from), the
/// chain's state probabilities and the stage baseline, with what they were trained on and how well the same recipe did
/// on its time-split holdout.
/// </summary>
public sealed class PredictionModel
{
    /// <summary>Saved version (1, 2, …), 0 when trained on the fly.</summary>
    public int Version { get; init; }

    public DateTime TrainedAt { get; init; }

    /// <summary>The hash of <see cref="TouchDefinition"/>; scoring refuses a model whose fingerprint differs from the options'.</summary>
    public required string Fingerprint { get; init; }

    public required string TouchDefinition { get; init; }

    public required TouchKind Touch { get; init; }

    public required IReadOnlyList<string> ConversionEvents { get; init; }

    public TimeSpan Lookback { get; init; }

    public TimeSpan Horizon { get; init; }

    public int Order { get; init; }

    public required string StageModel { get; init; }

    /// <summary>The first and last moment of the training samples (their outcomes run a horizon later).</summary>
    public DateTime TrainedFrom { get; init; }

    public DateTime TrainedTo { get; init; }

    public long TrainSamples { get; init; }

    public long TrainConversions { get; init; }

    public required FeatureLayout Layout { get; init; }

    public required TreeEnsemble Ensemble { get; init; }

    /// <summary>The ML.NET model file (zip) the ensemble was read from.</summary>
    public required byte[] MlModel { get; init; }

    public required MarkovPredictor Markov { get; init; }

    public required StageBaseline Baseline { get; init; }

    /// <summary>The same recipe trained before the cut-off and measured after it.</summary>
    public IReadOnlyList<EvaluationRow> Metrics { get; init; } = [];

    /// <summary>Throws <see cref="PathException"/> when <paramref name="options"/> define touches, conversions or stages otherwise than this model was trained with.</summary>
    public void CheckFits(PredictionOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Fingerprint != Fingerprint)
        {
            throw new PathException($"model {name} was trained on another touch definition ({TouchDefinition}) than asked ({options.TouchDefinition}); "
                + "train a model for this definition with `pretzel predict --train` and the same options, or ask with the model's");
        }

        if (options.Horizon != Horizon)
        {
            throw new PathException($"model {name} predicts a {Horizon.TotalDays:0.##}-day horizon, not the {options.Horizon.TotalDays:0.##} days asked; train one with --train --horizon");
        }

        if (options.Order != Order)
        {
            throw new PathException($"model {name} has a Markov order of {Order}, not the {options.Order} asked; train one with --train --order");
        }
    }
}
