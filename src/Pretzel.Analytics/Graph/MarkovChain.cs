using System.Globalization;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Graph;

/// <summary>
/// The absorbing Markov chain of a path table. States: <c>(start)</c>, the absorbing <c>(conversion)</c> and
/// <c>(null)</c>, and touch states. At order 1 a touch state is a touch; at order K it is the last K touches joined by
/// <c> &gt; </c>, shorter at the start of a path (the first state of a path is its first touch, the second
/// <c>t1 &gt; t2</c>, and so on up to K). Every journey of a row (its conversions and its nulls) goes
/// <c>(start) → s1 → … → sn → (conversion)</c> or <c>(null)</c>; a row without touches goes from <c>(start)</c> straight
/// to its outcome. Transition probabilities are the observed counts over all transitions out of a state.
/// <para>
/// Conversion probabilities are absorption probabilities, solved exactly from <c>(I − Q) x = r</c> by
/// <see cref="AbsorbingSolver"/>: per strongly connected component, dense LU with partial pivoting up to 2,000 states
/// in a component, Gauss–Seidel to 1e-12 above that. On the unmodified chain the probability from <c>(start)</c> always
/// equals the observed conversion rate (the observed visit counts solve the flow equations); the chain is for what
/// happens when states change: <see cref="ConversionProbabilityWithout"/>, <see cref="BlackHoles"/>.
/// </para>
/// </summary>
public sealed class MarkovChain
{
    /// <summary>The state every journey starts in.</summary>
    public const string Start = "(start)";

    /// <summary>The absorbing state of journeys that converted.</summary>
    public const string Conversion = "(conversion)";

    /// <summary>The absorbing state of journeys that ended in nothing.</summary>
    public const string Null = "(null)";

    /// <summary>The highest order: states of at most this many touches.</summary>
    public const int MaxOrder = 4;

    internal const int ConversionTarget = -1;
    internal const int NullTarget = -2;

    // Transient states: 0 is (start), then touch states sorted by their touches.
    private readonly string[][] _keys;
    private readonly string[] _names;
    private readonly (int To, long Count)[][] _out;
    private readonly long[] _outTotal;
    private readonly long[] _visits;
    private readonly long[] _journeys;
    private readonly ObservedPaths _observed;
    private readonly int _denseLimit;
    private readonly AbsorbingSolver _solver;
    private readonly double[] _probability;

    private MarkovChain(int order, ChainBuilder.Counted counted, int denseLimit)
    {
        Order = order;
        _keys = counted.Keys;
        _names = new string[_keys.Length];
        _names[0] = Start;
        for (var s = 1; s < _keys.Length; s++)
        {
            _names[s] = string.Join(" > ", _keys[s]);
        }

        _out = counted.OutEdges;
        _outTotal = new long[_out.Length];
        for (var s = 0; s < _out.Length; s++)
        {
            foreach (var (_, count) in _out[s])
            {
                _outTotal[s] += count;
            }
        }

        _visits = counted.Visits;
        _journeys = counted.Journeys;
        _observed = counted.Observed;
        _denseLimit = denseLimit;
        Journeys = counted.JourneyCount;
        Conversions = counted.ConversionCount;
        Touches = Array.AsReadOnly(counted.Touches);
        var (rows, r) = System(_ => false);
        _solver = new AbsorbingSolver(rows, denseLimit);
        _probability = _solver.Solve(r);
    }

    /// <summary>States remember this many touches.</summary>
    public int Order { get; }

    /// <summary>Journeys in the path table (conversions and nulls).</summary>
    public long Journeys { get; }

    /// <summary>Journeys in the path table that converted.</summary>
    public long Conversions { get; }

    /// <summary>The distinct touches, sorted (ordinal).</summary>
    public IReadOnlyList<string> Touches { get; }

    /// <summary>Conversions over journeys (0 without journeys).</summary>
    public double ObservedConversionRate => Journeys == 0 ? 0 : (double)Conversions / Journeys;

    /// <summary>The probability of being absorbed in <c>(conversion)</c> from <c>(start)</c>.</summary>
    public double ConversionProbability => _probability[0];

    /// <summary>
    /// The chain of a path table with states of up to <paramref name="order"/> touches (1 to <see cref="MaxOrder"/>).
    /// Rows without journeys add nothing; negative counts are rejected. A large table is counted in ranges in parallel
    /// (see <see cref="ChainBuilder"/>); the chain is the same however it is split.
    /// </summary>
    public static MarkovChain FromPaths(IEnumerable<PathRow> rows, int order) => FromPaths(rows, order, AbsorbingSolver.DefaultDenseLimit);

    internal static MarkovChain FromPaths(IEnumerable<PathRow> rows, int order, int denseLimit) =>
        FromPaths(rows, order, denseLimit, Environment.ProcessorCount, ChainBuilder.RowsPerWorker);

    /// <summary>The chain counted in up to <paramref name="workers"/> ranges of at least <paramref name="rowsPerWorker"/> rows in parallel.</summary>
    internal static MarkovChain FromPaths(IEnumerable<PathRow> rows, int order, int denseLimit, int workers, int rowsPerWorker)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MaxOrder);

        // A copy of the table: the observed journeys of bright paths are looked up in it later.
        return new MarkovChain(order, ChainBuilder.Count([.. rows], order, workers, rowsPerWorker), denseLimit);
    }

    /// <summary>Every edge with its count and probability: states in node order, targets in node order then the absorbing states.</summary>
    public IReadOnlyList<TransitionRow> Transitions()
    {
        var rows = new List<TransitionRow>();
        for (var s = 0; s < _out.Length; s++)
        {
            foreach (var (to, count) in _out[s])
            {
                rows.Add(new TransitionRow(_names[s], NameOf(to), count, (double)count / _outTotal[s]));
            }
        }

        return rows;
    }

    /// <summary><c>(start)</c>, then every touch state sorted by its touches (ordinal).</summary>
    public IReadOnlyList<NodeRow> Nodes() =>
        [.. Enumerable.Range(0, _names.Length).Select(s => new NodeRow(_names[s], _visits[s], _journeys[s], ExitRate(s), _probability[s]))];

    /// <summary>
    /// The removal effect's numerator: the probability of conversion from <c>(start)</c> when every state containing
    /// <paramref name="touch"/> (at order K: any of its touches) sends all its traffic to <c>(null)</c>. When one state
    /// contains the touch (always at order 1) this is a rank-one update of the solved chain; otherwise the changed chain
    /// is solved again.
    /// </summary>
    public double ConversionProbabilityWithout(string touch)
    {
        ArgumentNullException.ThrowIfNull(touch);
        var removed = Enumerable.Range(1, _keys.Length - 1).Where(s => _keys[s].Contains(touch, StringComparer.Ordinal)).ToList();
        if (removed.Count == 0)
        {
            return ConversionProbability;
        }

        if (removed.Count > 1)
        {
            return ConversionProbabilityWithout(removed);
        }

        var v = removed[0];
        return ChangedRow(v, [.. _out[v].Where(e => e.To >= 0).Select(e => (e.To, -Probability(v, e.Count)))], -Probability(v, ConversionCount(v)));
    }

    /// <summary>
    /// Solves the chain again with the given states sending everything to <c>(null)</c>; for checking the rank-one path.
    /// </summary>
    internal double ConversionProbabilityWithout(IReadOnlyCollection<int> removed)
    {
        var set = removed.ToHashSet();
        var (rows, r) = System(set.Contains);
        return new AbsorbingSolver(rows, _denseLimit).Solve(r)[0];
    }

    /// <summary>
    /// Touch states that lose prospects, ranked by uplift (what the chain's conversion probability would gain if the
    /// state leaked no more than average), then by prospects lost, then by name; states with nothing lost are left out.
    /// A busy page with an ordinary exit rate loses many prospects but is no black hole; a page where nine in ten
    /// leave is. At most <paramref name="limit"/> rows.
    /// Uplift: the state's outgoing probabilities are changed so that its exit rate becomes the average exit rate of all
    /// touch states (their transitions to <c>(null)</c> over all their transitions out); the mass taken from
    /// <c>(null)</c> goes to its other edges, <c>(conversion)</c> included, in proportion to their probabilities, or all
    /// to <c>(conversion)</c> when <c>(null)</c> is its only edge. The chain is solved again exactly (a rank-one update:
    /// one row changes). States already at or below the average have uplift 0 and keep the current probability.
    /// </summary>
    public IReadOnlyList<BlackHoleRow> BlackHoles(int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        long lostAll = 0, outAll = 0;
        for (var s = 1; s < _names.Length; s++)
        {
            lostAll += NullCount(s);
            outAll += _outTotal[s];
        }

        var average = outAll == 0 ? 0 : (double)lostAll / outAll;
        var candidates = Enumerable.Range(1, _names.Length - 1).Where(s => NullCount(s) > 0).ToList();
        if (limit == 0 || candidates.Count == 0)
        {
            return [];
        }

        var current = ConversionProbability;
        return [.. candidates
            .Select(s => (State: s, IfAverage: ExitRate(s) > average ? ConversionIfExitRate(s, average) : current))
            .OrderByDescending(c => c.IfAverage - current)
            .ThenByDescending(c => NullCount(c.State))
            .ThenBy(c => _names[c.State], StringComparer.Ordinal)
            .Take(limit)
            .Select((c, i) => new BlackHoleRow(
                i + 1, _names[c.State], NullCount(c.State), _outTotal[c.State], ExitRate(c.State), average, c.IfAverage, c.IfAverage - current,
                Explain(_names[c.State], NullCount(c.State), ExitRate(c.State), average, current, c.IfAverage)))];
    }

    /// <summary>
    /// The <paramref name="k"/> most probable simple routes from <c>(start)</c> to <c>(conversion)</c>: k-shortest simple
    /// paths (Yen's algorithm over Dijkstra) with edge weights <c>−log p</c>, most probable first. Fewer when the chain
    /// has fewer simple routes. A route's touches are the last touch of each of its states.
    /// </summary>
    public IReadOnlyList<BrightPathRow> BrightPaths(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var n = _names.Length;
        var graph = new IReadOnlyList<(int To, double Weight)>[n + 1];
        for (var s = 0; s < n; s++)
        {
            graph[s] = [.. _out[s].Where(e => e.To != NullTarget).Select(e => (e.To == ConversionTarget ? n : e.To, -Math.Log(Probability(s, e.Count))))];
        }

        graph[n] = [];
        var overall = ObservedConversionRate;
        var routes = KShortestPaths.Yen(graph, 0, n, k);
        var touches = routes.ConvertAll(route => route[1..^1].Select(s => _keys[s][^1]).ToArray());
        var observed = _observed.Lookup(touches);
        return [.. routes
            .Select((route, j) =>
            {
                var probability = 1.0;
                for (var i = 0; i + 1 < route.Length; i++)
                {
                    var target = route[i + 1] == n ? ConversionTarget : route[i + 1];
                    probability *= Probability(route[i], _out[route[i]].First(e => e.To == target).Count);
                }

                var (conversions, nulls) = observed[j];
                double? rate = conversions + nulls == 0 ? null : (double)conversions / (conversions + nulls);
                return new BrightPathRow(0, touches[j], probability, conversions + nulls, rate, rate is { } r && overall > 0 ? r / overall : null);
            })
            .OrderByDescending(row => row.ChainProbability)
            .Select((row, i) => row with { Rank = i + 1 })];
    }

    /// <summary>Conversion from (start) if state <paramref name="v"/> had exit rate <paramref name="target"/> (see <see cref="BlackHoles"/>).</summary>
    private double ConversionIfExitRate(int v, double target)
    {
        var exit = ExitRate(v);
        var conversion = Probability(v, ConversionCount(v));
        if (exit >= 1)
        {
            return ChangedRow(v, [], 1 - target);
        }

        var scale = (1 - target) / (1 - exit);
        return ChangedRow(v, [.. _out[v].Where(e => e.To >= 0).Select(e => (e.To, Probability(v, e.Count) * (scale - 1)))], conversion * (scale - 1));
    }

    /// <summary>
    /// Conversion from (start) after row <paramref name="v"/> of Q changes by <paramref name="dq"/> and its probability of
    /// converting in one step by <paramref name="dr"/>: Sherman–Morrison on <c>(I − Q − e_v dᵀ) x' = r + dr e_v</c> gives
    /// <c>x' = x + u c</c> with <c>u = (I − Q)⁻¹ e_v</c> and <c>c = (dr + d·x) / (1 − d·u)</c>.
    /// </summary>
    private double ChangedRow(int v, IReadOnlyList<(int To, double Delta)> dq, double dr)
    {
        var e = new double[_names.Length];
        e[v] = 1;
        var u = _solver.Solve(e);
        double dx = dr, du = 0;
        foreach (var (to, delta) in dq)
        {
            dx += delta * _probability[to];
            du += delta * u[to];
        }

        return ConversionProbability + (u[0] * dx / (1 - du));
    }

    /// <summary>The sparse transient rows and one-step conversion probabilities, with some states sending everything to (null).</summary>
    private ((int To, double P)[][] Rows, double[] R) System(Func<int, bool> removed)
    {
        var rows = new (int To, double P)[_names.Length][];
        var r = new double[_names.Length];
        for (var s = 0; s < rows.Length; s++)
        {
            if (removed(s))
            {
                rows[s] = [];
                continue;
            }

            rows[s] = [.. _out[s].Where(e => e.To >= 0).Select(e => (e.To, Probability(s, e.Count)))];
            r[s] = Probability(s, ConversionCount(s));
        }

        return (rows, r);
    }

    private double Probability(int s, long count) => _outTotal[s] == 0 ? 0 : (double)count / _outTotal[s];

    private long ConversionCount(int s) => Count(s, ConversionTarget);

    private long NullCount(int s) => Count(s, NullTarget);

    private long Count(int s, int target)
    {
        foreach (var (to, count) in _out[s])
        {
            if (to == target)
            {
                return count;
            }
        }

        return 0;
    }

    private double ExitRate(int s) => Probability(s, NullCount(s));

    private string NameOf(int target) => target switch
    {
        ConversionTarget => Conversion,
        NullTarget => Null,
        _ => _names[target],
    };

    private static string Explain(string node, long lost, double exitRate, double average, double current, double ifAverage)
    {
        var ends = lost == 1 ? "1 journey ends" : $"{lost.ToString("N0", CultureInfo.InvariantCulture)} journeys end";
        var head = $"{ends} right after {node}; {Percent(exitRate, average)} of its exits are losses against {Percent(average, exitRate)} on average";
        return exitRate > average
            ? $"{head}; matching the average would lift conversion from {Percent(current, ifAverage)} to {Percent(ifAverage, current)}"
            : $"{head}, no worse than average";
    }

    /// <summary><paramref name="p"/> as a percentage, with enough decimals (1 to 4) to tell it from <paramref name="other"/>.</summary>
    private static string Percent(double p, double other)
    {
        for (var decimals = 1; ; decimals++)
        {
            var format = "0." + new string('#', decimals);
            var text = (p * 100).ToString(format, CultureInfo.InvariantCulture);
            if (decimals == 4 || p == other || text != (other * 100).ToString(format, CultureInfo.InvariantCulture))
            {
                return text + "%";
            }
        }
    }
}
