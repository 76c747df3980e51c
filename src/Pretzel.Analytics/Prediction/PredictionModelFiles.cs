using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Saved models in a folder (by default beside the store: <c>&lt;db&gt;.models/</c>): version N is <c>predict-vN.zip</c>
/// (the ML.NET model) and <c>predict-vN.json</c> (training window, touch definition and its fingerprint, metrics, the
/// feature layout, the chain's states and the baseline's rates). Versions only grow; nothing is overwritten.
/// </summary>
public static class PredictionModelFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The saved versions in <paramref name="folder"/>, ascending.</summary>
    public static IReadOnlyList<int> Versions(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(folder, "predict-v*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)["predict-v".Length..])
            .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n > 0 && File.Exists(Path.Combine(folder, $"predict-v{n}.zip"))).Order()];
    }

    /// <summary>Saves <paramref name="model"/> as the next version; returns it with its version set, and the JSON file's path.</summary>
    public static (PredictionModel Model, string Path) Save(string folder, PredictionModel model)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        var version = (Versions(folder).LastOrDefault()) + 1;
        var saved = new PredictionModel
        {
            Version = version, TrainedAt = model.TrainedAt, Fingerprint = model.Fingerprint, TouchDefinition = model.TouchDefinition, Touch = model.Touch,
            ConversionEvents = model.ConversionEvents, Lookback = model.Lookback, Horizon = model.Horizon, Order = model.Order, StageModel = model.StageModel,
            TrainedFrom = model.TrainedFrom, TrainedTo = model.TrainedTo, TrainSamples = model.TrainSamples, TrainConversions = model.TrainConversions,
            Layout = model.Layout, Ensemble = model.Ensemble, MlModel = model.MlModel, Markov = model.Markov, Baseline = model.Baseline, Metrics = model.Metrics,
        };
        var zip = Path.Combine(folder, $"predict-v{version}.zip");
        var json = Path.Combine(folder, $"predict-v{version}.json");
        File.WriteAllBytes(zip, model.MlModel);
        File.WriteAllText(json, JsonSerializer.Serialize(ToFile(saved, Path.GetFileName(zip)), Json));
        return (saved, json);
    }

    /// <summary>Version <paramref name="version"/> (null: the newest) from <paramref name="folder"/>, or null when there is none.</summary>
    public static PredictionModel? Load(string folder, int? version = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var versions = Versions(folder);
        if (versions.Count == 0 || (version is { } v && !versions.Contains(v)))
        {
            return null;
        }

        var n = version ?? versions[^1];
        var json = Path.Combine(folder, $"predict-v{n}.json");
        try
        {
            var file = JsonSerializer.Deserialize<ModelFile>(File.ReadAllText(json), Json) ?? throw new InvalidDataException("empty");
            var bytes = File.ReadAllBytes(Path.Combine(folder, file.MlModel));
            return FromFile(file, bytes);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PathException($"model file {json}: cannot be read ({ex.Message.Split('\n')[0]})");
        }
    }

    private static ModelFile ToFile(PredictionModel m, string zip) => new()
    {
        Version = m.Version,
        TrainedAt = m.TrainedAt,
        Fingerprint = m.Fingerprint,
        TouchDefinition = m.TouchDefinition,
        Touch = PathOptions.TouchNames[(int)m.Touch],
        ConversionEvents = [.. m.ConversionEvents],
        LookbackHours = m.Lookback.TotalHours,
        HorizonHours = m.Horizon.TotalHours,
        Order = m.Order,
        StageModel = m.StageModel,
        TrainedFrom = m.TrainedFrom,
        TrainedTo = m.TrainedTo,
        TrainSamples = m.TrainSamples,
        TrainConversions = m.TrainConversions,
        Metrics = [.. m.Metrics.Select(r => new MetricsEntry(r.Model, r.Auc, r.LogLoss, r.Brier, r.CalibrationError, r.HoldoutSamples, r.HoldoutConversions, r.TrainSamples, r.Cutoff))],
        Touches = [.. m.Layout.Touches],
        Pairs = [.. m.Layout.Pairs.Select(p => new[] { p.From, p.To })],
        MarkovOverall = m.Markov.Overall,
        MarkovStates = [.. m.Markov.States.Select(s => new StateEntry(s.Order, [.. s.Touches.Select(t => m.Layout.Touches[t])], s.Probability))],
        BaselineOverall = m.Baseline.Overall,
        BaselineRates = [.. m.Baseline.Rates],
        MlModel = zip,
    };

    private static PredictionModel FromFile(ModelFile f, byte[] zip)
    {
        var layout = new FeatureLayout(f.Touches, [.. f.Pairs.Select(p => (p[0], p[1]))]);
        var index = f.Touches.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        return new PredictionModel
        {
            Version = f.Version,
            TrainedAt = f.TrainedAt,
            Fingerprint = f.Fingerprint,
            TouchDefinition = f.TouchDefinition,
            Touch = PathOptions.ParseTouch(f.Touch),
            ConversionEvents = f.ConversionEvents,
            Lookback = TimeSpan.FromHours(f.LookbackHours),
            Horizon = TimeSpan.FromHours(f.HorizonHours),
            Order = f.Order,
            StageModel = f.StageModel,
            TrainedFrom = f.TrainedFrom,
            TrainedTo = f.TrainedTo,
            TrainSamples = f.TrainSamples,
            TrainConversions = f.TrainConversions,
            Layout = layout,
            Ensemble = SupervisedTraining.Load(zip),
            MlModel = zip,
            Markov = new MarkovPredictor(f.Order, [.. f.MarkovStates.Select(s => new MarkovState(s.Order, [.. s.Touches.Select(t => index[t])], s.Probability))], f.MarkovOverall),
            Baseline = new StageBaseline(f.BaselineRates, f.BaselineOverall),
            Metrics = [.. f.Metrics.Select(e => new EvaluationRow(e.Model, e.Auc, e.LogLoss, e.Brier, e.CalibrationError, e.HoldoutSamples, e.HoldoutConversions, e.TrainSamples, e.Cutoff))],
        };
    }

    private sealed class ModelFile
    {
        public int Version { get; set; }

        public DateTime TrainedAt { get; set; }

        public string Fingerprint { get; set; } = "";

        public string TouchDefinition { get; set; } = "";

        public string Touch { get; set; } = "";

        public List<string> ConversionEvents { get; set; } = [];

        public double LookbackHours { get; set; }

        public double HorizonHours { get; set; }

        public int Order { get; set; }

        public string StageModel { get; set; } = "";

        public DateTime TrainedFrom { get; set; }

        public DateTime TrainedTo { get; set; }

        public long TrainSamples { get; set; }

        public long TrainConversions { get; set; }

        public List<MetricsEntry> Metrics { get; set; } = [];

        public List<string> Touches { get; set; } = [];

        public List<int[]> Pairs { get; set; } = [];

        public double MarkovOverall { get; set; }

        public List<StateEntry> MarkovStates { get; set; } = [];

        public double BaselineOverall { get; set; }

        public List<double> BaselineRates { get; set; } = [];

        public string MlModel { get; set; } = "";
    }

    private sealed record MetricsEntry(string Model, double Auc, double LogLoss, double Brier, double CalibrationError, long HoldoutSamples, long HoldoutConversions, long TrainSamples, DateTime Cutoff);

    private sealed record StateEntry(int Order, List<string> Touches, double Probability);
}
