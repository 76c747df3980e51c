using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// A boosted tree ensemble with Platt calibration, flattened for scoring: the score is the bias plus each tree's leaf
/// value times its weight, the probability <c>1 / (1 + exp(slope · score + offset))</c>. A node goes left when its
/// feature is at most its threshold; a negative child <c>~k</c> is leaf k. Read out of the ML.NET model once and then
/// evaluated here, which is what makes scoring a million journeys (each several times, for next-best-touch) fast; it is
/// tested to give ML.NET's own probabilities.
/// </summary>
public sealed class TreeEnsemble
{
    private readonly int[] _treeStart;
    private readonly int[] _leafStart;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leaf;

    public TreeEnsemble(IReadOnlyList<Tree> trees, double bias, double slope, double offset)
    {
        ArgumentNullException.ThrowIfNull(trees);
        Trees = trees;
        Bias = bias;
        Slope = slope;
        Offset = offset;
        _treeStart = new int[trees.Count + 1];
        _leafStart = new int[trees.Count + 1];
        for (var t = 0; t < trees.Count; t++)
        {
            _treeStart[t + 1] = _treeStart[t] + trees[t].Feature.Length;
            _leafStart[t + 1] = _leafStart[t] + trees[t].Leaf.Length;
        }

        foreach (var tree in trees)
        {
            var nodes = tree.Feature.Length;
            if (tree.Threshold.Length != nodes || tree.Left.Length != nodes || tree.Right.Length != nodes || tree.Leaf.Length != nodes + 1
                || tree.Feature.Any(f => f < 0) || tree.Left.Concat(tree.Right).Any(c => c >= nodes || ~c > nodes))
            {
                throw new InvalidDataException("a tree's nodes and leaves do not fit together");
            }
        }

        _feature = [.. trees.SelectMany(t => t.Feature)];
        _threshold = [.. trees.SelectMany(t => t.Threshold)];
        _left = [.. trees.SelectMany(t => t.Left)];
        _right = [.. trees.SelectMany(t => t.Right)];
        _leaf = [.. trees.SelectMany(t => t.Leaf.Select(v => v * t.Weight))];
        MaxFeature = _feature.Length == 0 ? -1 : _feature.Max();
    }

    public IReadOnlyList<Tree> Trees { get; }

    public double Bias { get; }

    public double Slope { get; }

    public double Offset { get; }

    /// <summary>The highest feature index any split reads, or -1.</summary>
    public int MaxFeature { get; }

    /// <summary>The calibrated probability of <paramref name="x"/>.</summary>
    public double Probability(ReadOnlySpan<float> x) => 1 / (1 + Math.Exp((Slope * Score(x)) + Offset));

    /// <summary>The raw score (before calibration).</summary>
    public double Score(ReadOnlySpan<float> x)
    {
        if (x.Length <= MaxFeature)
        {
            throw new ArgumentException($"the trees read feature {MaxFeature}; got {x.Length} features", nameof(x));
        }

        var sum = Bias;
        for (var t = 0; t < _treeStart.Length - 1; t++)
        {
            var root = _treeStart[t];
            sum += _leaf[_leafStart[t] + (root == _treeStart[t + 1] ? 0 : Leaf(root, x))];
        }

        return sum;
    }

    /// <summary>Where each tree's nodes start (one more entry than trees: the end).</summary>
    internal int[] TreeStarts => _treeStart;

    /// <summary>Where each tree's leaves start.</summary>
    internal int[] LeafStarts => _leafStart;

    /// <summary>Per node: the feature it splits on.</summary>
    internal int[] NodeFeatures => _feature;

    internal float[] NodeThresholds => _threshold;

    internal int[] NodeLefts => _left;

    internal int[] NodeRights => _right;

    /// <summary>Per leaf: its value times its tree's weight.</summary>
    internal double[] LeafValues => _leaf;

    /// <summary>How many trees there are.</summary>
    public int TreeCount => _treeStart.Length - 1;

    /// <summary>Tree <paramref name="t"/>'s weighted leaf value for <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal double TreeValue(int t, ReadOnlySpan<float> x)
    {
        var root = _treeStart[t];
        return _leaf[_leafStart[t] + (root == _treeStart[t + 1] ? 0 : Leaf(root, x))];
    }

    /// <summary>Tree <paramref name="t"/>'s weighted leaf value for <paramref name="x"/>, walked from node <paramref name="at"/> (an index into the flat node arrays, within tree t).</summary>
    internal double TreeValueFrom(int t, int at, ReadOnlySpan<float> x) => _leaf[_leafStart[t] + Leaf(_treeStart[t], x, at - _treeStart[t])];

    /// <summary>The trees with a split on a feature for which <paramref name="reads"/> holds.</summary>
    internal int[] TreesReading(Func<int, bool> reads) =>
        [.. Enumerable.Range(0, TreeCount).Where(t => Enumerable.Range(_treeStart[t], _treeStart[t + 1] - _treeStart[t]).Any(n => reads(_feature[n])))];

    /// <summary>The probability of a raw score.</summary>
    internal double Calibrate(double score) => 1 / (1 + Math.Exp((Slope * score) + Offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Leaf(int root, ReadOnlySpan<float> x, int node = 0)
    {
        // Bounds checks off in the hot loop: the arrays were built together and every index read here was checked when
        // the tree was read (children within the tree, features below the row width by the layout).
        ref var feature = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_feature);
        ref var threshold = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_threshold);
        ref var left = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_left);
        ref var right = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_right);
        ref var row = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        while (true)
        {
            var at = root + node;
            node = Unsafe.Add(ref row, Unsafe.Add(ref feature, at)) <= Unsafe.Add(ref threshold, at) ? Unsafe.Add(ref left, at) : Unsafe.Add(ref right, at);
            if (node < 0)
            {
                return ~node;
            }
        }
    }

    /// <summary>One tree: per node its split and children, per leaf its value; a tree with one leaf has no nodes.</summary>
    public sealed record Tree(int[] Feature, float[] Threshold, int[] Left, int[] Right, double[] Leaf, double Weight);
}
