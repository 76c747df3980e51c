using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Next best touch without scoring each candidate's journey again. A candidate touch changes at most four features of the
/// journey as touched now (its count, its last-touch flag, the distinct-touch count when the journey never had it, and its
/// transition from the current last touch), and a tree's leaf can only change when one of those features flips a split
/// on the path the tree takes now. So every tree is walked once for the touched journey (together with the journey now,
/// which differs in five features), and each split on a candidate's feature is asked whether the candidate's value would
/// go the other way; only the trees with such a flip are evaluated again for that candidate, from the flipped split. On
/// the demo model that is about 5 trees per candidate instead of the 46 that read a candidate's features (of 100), which
/// with the shared walk halves the time of the whole <c>--open</c> work for a million prospects (bench: predict).
/// </summary>
internal sealed class CandidateSplits
{
    // A node's role: -1 (reads no candidate's feature), or candidate * 4 + kind.
    private const int CountKind = 0;
    private const int LastKind = 1;
    private const int PairKind = 2;
    private const int DistinctKind = 3;

    private readonly TreeEnsemble _ensemble;
    private readonly int[] _role;
    private readonly int[] _pairFrom;
    private readonly int[] _children;
    private readonly int[] _countFeature;
    private readonly int[] _lastFeature;
    private readonly int[] _pairFeature;
    private readonly bool[] _readsOwn;
    private readonly bool[] _readsDistinct;

    internal CandidateSplits(TreeEnsemble ensemble, FeatureLayout layout, int[] candidates)
    {
        _ensemble = ensemble;
        // Per candidate its features (per previous last touch for the transition), looked up, not worked out per prospect.
        _countFeature = [.. candidates.Select(layout.Count)];
        _lastFeature = [.. candidates.Select(layout.Last)];
        _pairFeature = new int[layout.Touches.Count * candidates.Length];
        for (var from = 0; from < layout.Touches.Count; from++)
        {
            for (var k = 0; k < candidates.Length; k++)
            {
                _pairFeature[(from * candidates.Length) + k] = layout.Pair(from, candidates[k]);
            }
        }

        var role = new int[layout.Length];
        var pairFrom = new int[layout.Length];
        Array.Fill(role, -1);
        role[FeatureLayout.DistinctTouches] = DistinctKind;
        for (var k = 0; k < candidates.Length; k++)
        {
            var c = candidates[k];
            role[layout.Count(c)] = (k * 4) + CountKind;
            role[layout.Last(c)] = (k * 4) + LastKind;
            for (var from = 0; from < layout.Touches.Count; from++)
            {
                if (layout.Pair(from, c) is >= 0 and var f)
                {
                    role[f] = (k * 4) + PairKind;
                    pairFrom[f] = from;
                }
            }
        }

        // Which trees read a candidate's count or last-touch flag, and the distinct-touch count, anywhere: the order the
        // changes are added in (see Score).
        var trees = ensemble.TreeCount;
        _readsOwn = new bool[candidates.Length * trees];
        for (var k = 0; k < candidates.Length; k++)
        {
            foreach (var t in ensemble.TreesReading(f => f == layout.Count(candidates[k]) || f == layout.Last(candidates[k])))
            {
                _readsOwn[(k * trees) + t] = true;
            }
        }

        _readsDistinct = new bool[trees];
        foreach (var t in ensemble.TreesReading(f => f == FeatureLayout.DistinctTouches))
        {
            _readsDistinct[t] = true;
        }

        var features = ensemble.NodeFeatures;
        _role = new int[features.Length];
        _pairFrom = new int[features.Length];
        _children = new int[2 * features.Length];
        for (var n = 0; n < features.Length; n++)
        {
            _role[n] = role[features[n]];
            _pairFrom[n] = pairFrom[features[n]];
            _children[2 * n] = ensemble.NodeLefts[n];
            _children[(2 * n) + 1] = ensemble.NodeRights[n];
        }
    }

    /// <summary>
    /// The raw score of the journey <paramref name="now"/>, and of the journey as touched now <paramref name="x"/> (whose
    /// last touch was <paramref name="last"/>) with each tree's value into <paramref name="values"/>; both the bias plus
    /// the trees in tree order, as <see cref="TreeEnsemble.Score"/> adds them. Per candidate, the trees whose split on its
    /// features flips go into <paramref name="flips"/>.
    /// </summary>
    internal (double Now, double Touched) Walk(ReadOnlySpan<float> now, ReadOnlySpan<float> x, int last, Span<double> values, Flips flips)
    {
        var e = _ensemble;
        flips.Clear();
        ref var start = ref MemoryMarshal.GetArrayDataReference(e.TreeStarts);
        ref var leafStart = ref MemoryMarshal.GetArrayDataReference(e.LeafStarts);
        ref var feature = ref MemoryMarshal.GetArrayDataReference(e.NodeFeatures);
        ref var threshold = ref MemoryMarshal.GetArrayDataReference(e.NodeThresholds);
        ref var left = ref MemoryMarshal.GetArrayDataReference(e.NodeLefts);
        ref var right = ref MemoryMarshal.GetArrayDataReference(e.NodeRights);
        ref var role = ref MemoryMarshal.GetArrayDataReference(_role);
        ref var leaf = ref MemoryMarshal.GetArrayDataReference(e.LeafValues);
        ref var a = ref MemoryMarshal.GetReference(now);
        ref var b = ref MemoryMarshal.GetReference(x);
        var (sumNow, sum) = (e.Bias, e.Bias);
        for (var t = 0; t < values.Length; t++)
        {
            var root = Unsafe.Add(ref start, t);
            int nodeNow = -1, node = -1;
            if (root != Unsafe.Add(ref start, t + 1))
            {
                // Together while both journeys take the same branch (they differ in five features only) … One thread on
                // the bench's prospects: about 1.9 µs for both, against 3.8 µs for two walks of their own, and 4.4 µs for
                // two branch-free walks interleaved (the splits' branches predict well over similar journeys).
                node = 0;
                while (true)
                {
                    var at = root + node;
                    var f = Unsafe.Add(ref feature, at);
                    var v = Unsafe.Add(ref b, f);
                    var split = Unsafe.Add(ref threshold, at);
                    var goesLeft = v <= split;
                    // The candidate's value is one more: a count or the distinct count, or a last-touch flag (0 for every
                    // touch in the touched journey) becoming 1; in float, exactly as the candidate's row holds it.
                    if (Unsafe.Add(ref role, at) is >= 0 and var r && (v + 1f <= split) != goesLeft)
                    {
                        Flip(r, at, t, last, flips);
                    }

                    if ((Unsafe.Add(ref a, f) <= split) != goesLeft)
                    {
                        nodeNow = goesLeft ? Unsafe.Add(ref right, at) : Unsafe.Add(ref left, at);
                        node = goesLeft ? Unsafe.Add(ref left, at) : Unsafe.Add(ref right, at);
                        break;
                    }

                    node = goesLeft ? Unsafe.Add(ref left, at) : Unsafe.Add(ref right, at);
                    if (node < 0)
                    {
                        nodeNow = node;
                        break;
                    }
                }

                // … then apart.
                while (nodeNow >= 0)
                {
                    var at = root + nodeNow;
                    nodeNow = Unsafe.Add(ref a, Unsafe.Add(ref feature, at)) <= Unsafe.Add(ref threshold, at) ? Unsafe.Add(ref left, at) : Unsafe.Add(ref right, at);
                }

                while (node >= 0)
                {
                    var at = root + node;
                    var v = Unsafe.Add(ref b, Unsafe.Add(ref feature, at));
                    var split = Unsafe.Add(ref threshold, at);
                    var goesLeft = v <= split;
                    if (Unsafe.Add(ref role, at) is >= 0 and var r && (v + 1f <= split) != goesLeft)
                    {
                        Flip(r, at, t, last, flips);
                    }

                    node = goesLeft ? Unsafe.Add(ref left, at) : Unsafe.Add(ref right, at);
                }
            }

            var leaves = Unsafe.Add(ref leafStart, t);
            sumNow += Unsafe.Add(ref leaf, leaves + ~nodeNow);
            var value = Unsafe.Add(ref leaf, leaves + ~node);
            values[t] = value;
            sum += value;
        }

        return (sumNow, sum);
    }

    /// <summary>
    /// The raw score of the touched journey <paramref name="x"/> with candidate <paramref name="k"/> added, from its score
    /// <paramref name="touched"/>: the flipped trees' changes added in tree order. <paramref name="x"/> is restored.
    /// </summary>
    internal double Score(int k, Span<float> x, int last, double touched, ReadOnlySpan<double> values, Flips flips)
    {
        var countFeature = _countFeature[k];
        var count = x[countFeature];
        var mine = flips.Of(k);
        var distinct = count == 0 ? flips.Distinct : [];
        if (mine.Length == 0 && distinct.Length == 0)
        {
            return touched;
        }

        var lastFeature = _lastFeature[k];
        var pair = _pairFeature[(last * _countFeature.Length) + k];
        var (lastC, distinctNow) = (x[lastFeature], x[FeatureLayout.DistinctTouches]);
        x[countFeature]++;
        x[lastFeature] = 1;
        x[FeatureLayout.DistinctTouches] += count == 0 ? 1 : 0;
        if (pair >= 0)
        {
            x[pair]++;
        }

        // The two ascending lists merged, each tree once, from its first flipped split (the path above it is the touched
        // journey's; from the root when both lists flip it). Then the changes are added in the order the first scorer
        // added them (trees reading the candidate's count or flag, then the distinct count, then its transition, each
        // ascending), so that the sums, and the next best touch among near ties, are the same to the last bit.
        var mineNodes = flips.NodesOf(k);
        var distinctNodes = count == 0 ? flips.DistinctNodes : [];
        Span<int> merged = stackalloc int[mine.Length + distinct.Length];
        Span<double> change = stackalloc double[mine.Length + distinct.Length];
        int i = 0, j = 0, n = 0;
        var own = _readsOwn.AsSpan(k * values.Length, values.Length);
        var groups = 0;
        while (i < mine.Length || j < distinct.Length)
        {
            int t, node;
            if (j == distinct.Length || (i < mine.Length && mine[i] < distinct[j]))
            {
                (t, node) = (mine[i], mineNodes[i]);
                i++;
            }
            else if (i == mine.Length || distinct[j] < mine[i])
            {
                (t, node) = (distinct[j], distinctNodes[j]);
                j++;
            }
            else
            {
                (t, node) = (mine[i], _ensemble.TreeStarts[mine[i]]);
                i++;
                j++;
            }

            merged[n] = t;
            change[n++] = _ensemble.TreeValueFrom(t, node, x) - values[t];
            groups |= 1 << Group(own[t], count, t);
        }

        var score = touched;
        if (groups is 1 or 2 or 4)
        {
            // One group (the usual case): already in order.
            foreach (var d in change[..n])
            {
                score += d;
            }
        }
        else
        {
            for (var group = 0; group < 3; group++)
            {
                for (var m = 0; m < n; m++)
                {
                    if (Group(own[merged[m]], count, merged[m]) == group)
                    {
                        score += change[m];
                    }
                }
            }
        }

        x[countFeature] = count;
        x[lastFeature] = lastC;
        x[FeatureLayout.DistinctTouches] = distinctNow;
        if (pair >= 0)
        {
            x[pair]--;
        }

        return score;
    }

    private int Group(bool readsOwn, float count, int tree) => readsOwn ? 0 : count == 0 && _readsDistinct[tree] ? 1 : 2;

    private void Flip(int role, int node, int tree, int last, Flips flips)
    {
        switch (role & 3)
        {
            case DistinctKind:
                flips.AddDistinct(tree, node);
                break;
            case PairKind when _pairFrom[node] != last:
                // Another transition into the candidate: not the one this journey would make.
                break;
            default:
                flips.Add(role >> 2, tree, node);
                break;
        }
    }

    /// <summary>
    /// Per candidate, the trees (ascending) whose leaf its touch changes, each with the first node on the path whose split
    /// flips; and the same for the distinct-touch count.
    /// </summary>
    internal sealed class Flips(int candidates, int trees)
    {
        private readonly int[] _trees = new int[candidates * trees];
        private readonly int[] _nodes = new int[candidates * trees];
        private readonly int[] _count = new int[candidates];
        private readonly int[] _distinct = new int[trees];
        private readonly int[] _distinctNodes = new int[trees];
        private int _distinctCount;

        internal ReadOnlySpan<int> Distinct => _distinct.AsSpan(0, _distinctCount);

        internal ReadOnlySpan<int> DistinctNodes => _distinctNodes.AsSpan(0, _distinctCount);

        internal ReadOnlySpan<int> Of(int k) => _trees.AsSpan(k * trees, _count[k]);

        internal ReadOnlySpan<int> NodesOf(int k) => _nodes.AsSpan(k * trees, _count[k]);

        internal void Clear()
        {
            Array.Clear(_count);
            _distinctCount = 0;
        }

        internal void Add(int k, int tree, int node)
        {
            // Trees are walked in order and top down, so a tree already noted (two of the candidate's splits flip) is the
            // last one, noted at its first flip.
            var n = _count[k];
            if (n == 0 || _trees[(k * trees) + n - 1] != tree)
            {
                _trees[(k * trees) + n] = tree;
                _nodes[(k * trees) + n] = node;
                _count[k] = n + 1;
            }
        }

        internal void AddDistinct(int tree, int node)
        {
            if (_distinctCount == 0 || _distinct[_distinctCount - 1] != tree)
            {
                _distinct[_distinctCount] = tree;
                _distinctNodes[_distinctCount++] = node;
            }
        }
    }
}
