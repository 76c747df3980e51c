using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>
/// A plain re-implementation for checking <see cref="MarkovChain"/>: counts keyed by state names built straight from
/// the documented definition, absorption probabilities by Gaussian elimination without pivoting on the whole
/// <c>I − Q</c> (no components, no factor reuse), routes by depth-first enumeration of every simple path.
/// </summary>
internal sealed class ChainReference
{
    public const string Start = MarkovChain.Start;
    public const string Conversion = MarkovChain.Conversion;
    public const string Null = MarkovChain.Null;

    public ChainReference(IEnumerable<PathRow> rows, int order)
    {
        States.Add(Start);
        Counts[Start] = [];
        Visits[Start] = 0;
        JourneysIn[Start] = 0;
        foreach (var row in rows)
        {
            var w = row.Conversions + row.Nulls;
            if (w == 0)
            {
                continue;
            }

            TotalJourneys += w;
            TotalConversions += row.Conversions;
            var key = string.Join(" > ", row.Touches);
            var seen = Observed.GetValueOrDefault(key);
            Observed[key] = (seen.Conversions + row.Conversions, seen.Journeys + w);
            var names = new List<string>();
            for (var i = 0; i < row.Touches.Count; i++)
            {
                names.Add(string.Join(" > ", row.Touches.Skip(Math.Max(0, i - order + 1)).Take(Math.Min(i + 1, order))));
                LastTouch[names[^1]] = row.Touches[i];
                ContainedTouches[names[^1]] = [.. row.Touches.Skip(Math.Max(0, i - order + 1)).Take(Math.Min(i + 1, order))];
            }

            Visits[Start] += w;
            JourneysIn[Start] += w;
            var from = Start;
            foreach (var name in names)
            {
                if (!Counts.ContainsKey(name))
                {
                    States.Add(name);
                    Counts[name] = [];
                    Visits[name] = 0;
                    JourneysIn[name] = 0;
                }

                Add(from, name, w);
                Visits[name] += w;
                from = name;
            }

            foreach (var name in names.Distinct())
            {
                JourneysIn[name] += w;
            }

            Add(from, Conversion, row.Conversions);
            Add(from, Null, row.Nulls);
        }
    }

    public List<string> States { get; } = [];

    public Dictionary<string, Dictionary<string, long>> Counts { get; } = [];

    public Dictionary<string, long> Visits { get; } = [];

    public Dictionary<string, long> JourneysIn { get; } = [];

    public Dictionary<string, string> LastTouch { get; } = [];

    public Dictionary<string, string[]> ContainedTouches { get; } = [];

    public Dictionary<string, (long Conversions, long Journeys)> Observed { get; } = [];

    public long TotalJourneys { get; private set; }

    public long TotalConversions { get; private set; }

    public Dictionary<string, double> Distribution(string state)
    {
        var total = Counts[state].Values.Sum();
        return Counts[state].ToDictionary(kv => kv.Key, kv => (double)kv.Value / total);
    }

    /// <summary>Absorption probabilities in (conversion) with each state's outgoing distribution given.</summary>
    public Dictionary<string, double> Absorb(Func<string, Dictionary<string, double>>? distribution = null)
    {
        distribution ??= Distribution;
        var n = States.Count;
        var index = States.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var a = new double[n, n];
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            a[i, i] = 1;
            foreach (var (to, p) in distribution(States[i]))
            {
                if (to == Conversion)
                {
                    b[i] += p;
                }
                else if (to != Null)
                {
                    a[i, index[to]] -= p;
                }
            }
        }

        for (var k = 0; k < n; k++)
        {
            for (var i = k + 1; i < n; i++)
            {
                var f = a[i, k] / a[k, k];
                for (var j = k; j < n; j++)
                {
                    a[i, j] -= f * a[k, j];
                }

                b[i] -= f * b[k];
            }
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var j = i + 1; j < n; j++)
            {
                s -= a[i, j] * x[j];
            }

            x[i] = s / a[i, i];
        }

        return States.Select((s, i) => (s, x[i])).ToDictionary(p => p.s, p => p.Item2);
    }

    /// <summary>Every simple route (start) → … → (conversion) with its probability.</summary>
    public List<(List<string> States, double Probability)> AllRoutes()
    {
        var routes = new List<(List<string>, double)>();
        var path = new List<string> { Start };
        var onPath = new HashSet<string> { Start };
        Walk(Start, 1.0);
        return routes;

        void Walk(string state, double probability)
        {
            foreach (var (to, p) in Distribution(state))
            {
                if (to == Conversion)
                {
                    routes.Add(([.. path.Skip(1)], probability * p));
                }
                else if (to != Null && onPath.Add(to))
                {
                    path.Add(to);
                    Walk(to, probability * p);
                    path.RemoveAt(path.Count - 1);
                    onPath.Remove(to);
                }
            }
        }
    }

    private void Add(string from, string to, long count)
    {
        if (count > 0)
        {
            Counts[from][to] = Counts[from].GetValueOrDefault(to) + count;
        }
    }
}
