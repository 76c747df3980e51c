namespace Pretzel.Analytics.Prediction;

/// <summary>The models compared: the supervised trees, the Markov chain and the stage baseline.</summary>
public static class PredictionModels
{
    public const string LightGbm = "lightgbm";
    public const string Markov = "markov";
    public const string Baseline = "baseline";

    public static IReadOnlyList<string> All { get; } = [LightGbm, Markov, Baseline];
}

/// <summary>One model's measures on the holdout (journeys started after the cut-off).</summary>
public sealed record EvaluationRow(string Model, double Auc, double LogLoss, double Brier, double CalibrationError, long HoldoutSamples, long HoldoutConversions, long TrainSamples, DateTime Cutoff)
{
    public static IReadOnlyList<string> Columns { get; } =
        ["model", "auc", "log_loss", "brier", "calibration_error", "holdout_samples", "holdout_conversions", "holdout_rate", "train_samples", "cutoff"];

    public object?[] Values() =>
    [
        Model, R(Auc), R(LogLoss), R(Brier), R(CalibrationError), HoldoutSamples, HoldoutConversions,
        R(HoldoutSamples == 0 ? double.NaN : (double)HoldoutConversions / HoldoutSamples), TrainSamples, Cutoff.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    ];

    internal static double? R(double x) => double.IsNaN(x) ? null : Math.Round(x, 6);
}

/// <summary>One calibration bin of one model: journeys predicted in [from, to), their mean prediction and observed rate.</summary>
public sealed record CalibrationRow(string Model, int Bin, long Samples, double MeanPredicted, double ObservedRate)
{
    public static IReadOnlyList<string> Columns { get; } = ["model", "bin", "from", "to", "samples", "mean_predicted", "observed_rate"];

    public object?[] Values() =>
        [Model, Bin, Math.Round((Bin - 1) / 10.0, 1), Math.Round(Bin / 10.0, 1), Samples, EvaluationRow.R(MeanPredicted), EvaluationRow.R(ObservedRate)];
}

/// <summary>One open prospect scored by one model, with the touch whose addition raises the probability most.</summary>
public sealed record ProspectRow(string Person, double Probability, string Model, string CurrentStage, string LastTouch, double DaysSinceLastTouch, string? NextBestTouch, double? Uplift)
{
    public static IReadOnlyList<string> Columns { get; } =
        ["person", "probability", "model", "current_stage", "last_touch", "days_since_last_touch", "next_best_touch", "uplift"];

    public object?[] Values() =>
        [Person, Math.Round(Probability, 6), Model, CurrentStage, LastTouch, Math.Round(DaysSinceLastTouch, 3), NextBestTouch, Uplift is { } u ? Math.Round(u, 6) : null];
}

/// <summary>
/// One touch across all open prospects, by one model: for how many it is the next best touch, and the expected extra
/// conversions within the horizon if every prospect got it (the sum of its uplifts). Correlational, not an experiment.
/// </summary>
public sealed record NextTouchRow(string Model, string Touch, long BestFor, double TotalGain, double MeanUplift, long Prospects)
{
    public static IReadOnlyList<string> Columns { get; } = ["model", "touch", "best_for", "total_gain", "mean_uplift", "prospects"];

    public object?[] Values() => [Model, Touch, BestFor, Math.Round(TotalGain, 4), Math.Round(MeanUplift, 6), Prospects];
}

/// <summary>What <c>pretzel predict --train</c> saved.</summary>
public static class TrainRow
{
    public static IReadOnlyList<string> Columns { get; } =
        ["version", "file", "trained_from", "trained_to", "train_samples", "train_conversions", "cutoff", "auc_lightgbm", "auc_markov", "auc_baseline", "fingerprint"];
}
