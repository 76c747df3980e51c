using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>
/// Plain re-implementations to check the models against, written from the definitions in docs/analyses/attribution.md
/// without sharing code with them: a Markov chain over named states solved by dense Gaussian elimination, with real-valued
/// weights (so the value chain is checked without the integer rounding the product uses), and the Shapley value by
/// enumerating every coalition.
/// </summary>
internal static class AttributionReferences
{
    internal static readonly string[] Channels = ["a", "b", "c", "d", "direct"];

    /// <summary>Random rows over a few channels: repeats, direct, empty paths, rows with nothing.</summary>
    internal static readonly Gen<PathRow> GenRow =
        Gen.Select(Gen.Int[0, 4].Array[0, 7], Gen.Int[0, 5], Gen.Int[0, 100_000], Gen.Int[0, 5])
            .Select((touches, conversions, cents, nulls) =>
                new PathRow([.. touches.Select(t => Channels[t])], conversions, conversions == 0 ? 0 : cents / 100.0, nulls));

    internal static readonly Gen<List<PathRow>> GenTable = GenRow.List[1, 12];

    /// <summary>Removal effects of every channel in a Markov chain of <paramref name="order"/> over weighted paths (already collapsed or not: collapsed here).</summary>
    internal static Dictionary<string, double> MarkovRemovalEffects(IEnumerable<(IReadOnlyList<string> Touches, double Converted, double Lost)> paths, int order)
    {
        // Counts keyed by state names: a state is the last `order` touches joined by " > ".
        var edges = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal) { ["(start)"] = [] };
        var contains = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal) { ["(start)"] = [] };
        foreach (var (raw, converted, lost) in paths)
        {
            var touches = raw.Count == 0 ? [AttributionModels.NoTouch] : raw.Where((t, i) => i == 0 || t != raw[i - 1]).ToList();
            var weight = converted + lost;
            if (weight == 0)
            {
                continue;
            }

            var from = "(start)";
            for (var i = 0; i < touches.Count; i++)
            {
                var window = touches.Skip(Math.Max(0, i - order + 1)).Take(Math.Min(i + 1, order)).ToList();
                var state = string.Join(" > ", window);
                edges.TryAdd(state, []);
                contains[state] = [.. window];
                Add(from, state, weight);
                from = state;
            }

            Add(from, "(conversion)", converted);
            Add(from, "(null)", lost);
        }

        var states = edges.Keys.ToList();
        var p = Solve(states, edges, _ => false);
        var channels = contains.Values.SelectMany(c => c).Distinct().ToList();
        return channels.ToDictionary(c => c, c => p == 0 ? 0 : 1 - (Solve(states, edges, s => contains[s].Contains(c)) / p), StringComparer.Ordinal);

        void Add(string from, string to, double w) => edges[from][to] = edges[from].GetValueOrDefault(to) + w;
    }

    /// <summary>P(conversion) from (start), with the removed states sending everything to (null): (I − Q) x = r by elimination with partial pivoting.</summary>
    private static double Solve(List<string> states, Dictionary<string, Dictionary<string, double>> edges, Func<string, bool> removed)
    {
        var n = states.Count;
        var index = states.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        var a = new double[n, n + 1];
        for (var i = 0; i < n; i++)
        {
            a[i, i] = 1;
            var state = states[i];
            if (removed(state))
            {
                continue;
            }

            var total = edges[state].Values.Sum();
            foreach (var (to, w) in edges[state])
            {
                if (to == "(conversion)")
                {
                    a[i, n] += w / total;
                }
                else if (to != "(null)")
                {
                    a[i, index[to]] -= w / total;
                }
            }
        }

        for (var k = 0; k < n; k++)
        {
            var pivot = k;
            for (var i = k + 1; i < n; i++)
            {
                if (Math.Abs(a[i, k]) > Math.Abs(a[pivot, k]))
                {
                    pivot = i;
                }
            }

            for (var j = 0; j <= n; j++)
            {
                (a[k, j], a[pivot, j]) = (a[pivot, j], a[k, j]);
            }

            for (var i = 0; i < n; i++)
            {
                if (i != k && a[i, k] != 0)
                {
                    var f = a[i, k] / a[k, k];
                    for (var j = k; j <= n; j++)
                    {
                        a[i, j] -= f * a[k, j];
                    }
                }
            }
        }

        return a[index["(start)"], n] / a[index["(start)"], index["(start)"]];
    }

    /// <summary>Markov credits from removal effects, the documented way: total × RE / ΣRE.</summary>
    internal static Dictionary<string, double> Distribute(Dictionary<string, double> effects, double total)
    {
        var sum = effects.Values.Sum();
        return effects.ToDictionary(kv => kv.Key, kv => sum == 0 ? 0 : total * kv.Value / sum, StringComparer.Ordinal);
    }

    /// <summary>
    /// Shapley values by enumeration: w(T) per exact channel set, v(S) = Σ_{T ⊆ S} w(T) by the zeta transform over
    /// bitmasks, then φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! (v(S ∪ i) − v(S)).
    /// </summary>
    internal static Dictionary<string, double> ShapleyByEnumeration(IEnumerable<(IReadOnlyList<string> Touches, double Worth)> journeys)
    {
        var list = journeys.Select(j => (Touches: j.Touches.Count == 0 ? (IReadOnlyList<string>)[AttributionModels.NoTouch] : j.Touches, j.Worth)).ToList();
        var channels = list.SelectMany(j => j.Touches).Distinct().Order(StringComparer.Ordinal).ToList();
        var n = channels.Count;
        var v = new double[1 << n];
        foreach (var (touches, worth) in list)
        {
            var mask = touches.Aggregate(0, (m, t) => m | (1 << channels.IndexOf(t)));
            v[mask] += worth;
        }

        for (var bit = 0; bit < n; bit++)
        {
            for (var s = 0; s < v.Length; s++)
            {
                if ((s & (1 << bit)) != 0)
                {
                    v[s] += v[s ^ (1 << bit)];
                }
            }
        }

        var factorial = new double[n + 1];
        factorial[0] = 1;
        for (var i = 1; i <= n; i++)
        {
            factorial[i] = factorial[i - 1] * i;
        }

        var phi = new double[n];
        for (var s = 0; s < v.Length; s++)
        {
            var size = System.Numerics.BitOperations.PopCount((uint)s);
            for (var i = 0; i < n; i++)
            {
                if ((s & (1 << i)) == 0)
                {
                    phi[i] += factorial[size] * factorial[n - size - 1] / factorial[n] * (v[s | (1 << i)] - v[s]);
                }
            }
        }

        return channels.Select((c, i) => (c, phi[i])).ToDictionary(x => x.c, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>Shapley values by their first definition: the mean marginal contribution over every ordering of the channels.</summary>
    internal static Dictionary<string, double> ShapleyByOrderings(IEnumerable<(IReadOnlyList<string> Touches, double Worth)> journeys)
    {
        var list = journeys.Select(j => (Touches: (j.Touches.Count == 0 ? [AttributionModels.NoTouch] : j.Touches).ToHashSet(), j.Worth)).ToList();
        var channels = list.SelectMany(j => j.Touches).Distinct().Order(StringComparer.Ordinal).ToList();
        var phi = channels.ToDictionary(c => c, _ => 0.0, StringComparer.Ordinal);
        var orderings = 0;
        foreach (var ordering in Permutations(channels))
        {
            orderings++;
            var coalition = new HashSet<string>();
            foreach (var channel in ordering)
            {
                var before = Worth(coalition);
                coalition.Add(channel);
                phi[channel] += Worth(coalition) - before;
            }
        }

        return phi.ToDictionary(kv => kv.Key, kv => kv.Value / orderings, StringComparer.Ordinal);

        double Worth(HashSet<string> coalition) => list.Where(j => j.Touches.IsSubsetOf(coalition)).Sum(j => j.Worth);
    }

    private static IEnumerable<List<string>> Permutations(List<string> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }

        foreach (var item in items)
        {
            foreach (var rest in Permutations([.. items.Where(i => i != item)]))
            {
                yield return [item, .. rest];
            }
        }
    }

    /// <summary>A model's credits by channel.</summary>
    internal static Dictionary<string, ChannelCredit> ByChannel(IEnumerable<ChannelCredit> credits) => credits.ToDictionary(c => c.Channel, StringComparer.Ordinal);

    /// <summary>Asserts <paramref name="actual"/> equals <paramref name="expected"/> within <paramref name="relative"/> of the larger magnitude (or absolutely near 0).</summary>
    internal static void Near(double expected, double actual, double relative, string what)
    {
        var tolerance = relative * Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance:R})");
    }
}
