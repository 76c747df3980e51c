using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Trains the supervised model with ML.NET's LightGBM binary trainer on journey samples, and reads the trained trees
/// into a <see cref="TreeEnsemble"/> for scoring. Small trees (16 leaves, 100 rounds, at least 50 samples a leaf) keep it
/// from memorising people; one thread and a fixed seed make a run repeatable.
/// </summary>
internal static class SupervisedTraining
{
    internal const int Leaves = 16;
    internal const int Rounds = 100;
    internal const int MinSamplesPerLeaf = 50;
    internal const int Seed = 1;

    /// <summary>The trained model as an ML.NET model file (zip bytes) and as a flat ensemble.</summary>
    internal static (TreeEnsemble Ensemble, byte[] Model) Train(JourneySamples samples)
    {
        if (samples.Count == 0 || !samples.Label.Contains(true) || !samples.Label.Contains(false))
        {
            throw new Paths.PathException($"cannot train: the training journeys need conversions and non-conversions; got {samples.Count} journeys, {samples.Label.Count(l => l)} converted");
        }

        var ml = new MLContext(Seed);
        var data = Load(ml, samples);
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            NumberOfLeaves = Leaves,
            NumberOfIterations = Rounds,
            LearningRate = 0.1,
            MinimumExampleCountPerLeaf = Math.Max(1, Math.Min(MinSamplesPerLeaf, samples.Count / 20)),
            Seed = Seed,
            NumberOfThreads = 1,
            Silent = true,
        });
        var model = trainer.Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return (Extract(model.Model), stream.ToArray());
    }

    /// <summary>The ensemble inside an ML.NET model file written by <see cref="Train"/>.</summary>
    internal static TreeEnsemble Load(byte[] model)
    {
        var ml = new MLContext(Seed);
        using var stream = new MemoryStream(model);
        var loaded = ml.Model.Load(stream, out _);
        return loaded is ISingleFeaturePredictionTransformer<object> { Model: CalibratedModelParametersBase calibrated }
            ? Extract(calibrated)
            : throw new InvalidDataException($"not a calibrated tree model: {loaded.GetType().Name}");
    }

    /// <summary>ML.NET's own probabilities for feature rows, to check <see cref="TreeEnsemble"/> against.</summary>
    internal static float[] MlNetProbabilities(byte[] model, JourneySamples samples)
    {
        var ml = new MLContext(Seed);
        using var stream = new MemoryStream(model);
        var loaded = ml.Model.Load(stream, out _);
        var scored = loaded.Transform(Load(ml, samples));
        return [.. scored.GetColumn<float>("Probability")];
    }

    private static IDataView Load(MLContext ml, JourneySamples samples)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, samples.Width);
        var rows = Enumerable.Range(0, samples.Count).Select(s => new Row { Label = samples.Label[s], Features = samples.Row(s).ToArray() });
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    private static TreeEnsemble Extract(CalibratedModelParametersBase model)
    {
        if (model.SubModel is not TreeEnsembleModelParametersBasedOnRegressionTree trees || model.Calibrator is not PlattCalibrator platt)
        {
            throw new InvalidDataException($"not a Platt-calibrated tree ensemble: {model.SubModel?.GetType().Name}, {model.Calibrator?.GetType().Name}");
        }

        var ensemble = trees.TrainedTreeEnsemble;
        var list = ensemble.Trees.Select((t, i) => new TreeEnsemble.Tree(
            [.. t.NumericalSplitFeatureIndexes], [.. t.NumericalSplitThresholds], [.. t.LeftChild], [.. t.RightChild], [.. t.LeafValues], ensemble.TreeWeights[i]))
            .ToList();
        if (ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(f => f)))
        {
            throw new InvalidDataException("the trained trees have categorical splits, which the scorer does not read");
        }

        return new TreeEnsemble(list, ensemble.Bias, platt.Slope, platt.Offset);
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
