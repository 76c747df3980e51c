using System.Collections.Concurrent;
using Pretzel.Analytics.Kernels;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// The funnel over person-sorted <see cref="EventColumns"/>: the embedded engine's fast path, answering
/// exactly as <see cref="FunnelReference"/> (property tests hold it to that). Steps are matched once per
/// query into bit masks; people are split into ranges computed in parallel, each range with its own
/// counts. Where the reference tries every chain of events, the kernel walks each attempt once per step:
/// for an event of step k, the latest earlier event on a chain at step k−1 is the best predecessor
/// (it leaves the most of a step window, and the fewest events in between for exclusions and strict
/// order), so one pointer over the previous step's chain ends decides it.
/// </summary>
public sealed class FunnelKernel
{
    private const int PeoplePerRange = 2048;
    private readonly EventColumns _columns;
    private readonly FunnelOptions _options;
    private readonly EventMatcher[] _steps;
    private readonly EventMatcher? _exclude;
    private readonly bool _simple;
    private readonly long _to;
    private readonly long _window;
    private readonly long[] _stepWindow;
    private readonly int _excludeFrom;
    private readonly int _excludeTo;

    /// <summary>Prepares a funnel over <paramref name="columns"/>; <paramref name="extra"/> narrows each step (and the exclusion, last) further, e.g. by property conditions the store evaluated.</summary>
    internal FunnelKernel(EventColumns columns, FunnelOptions options, IReadOnlyList<System.Collections.BitArray?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Order == FunnelOrder.Any && options.Count == FunnelCount.Journeys)
        {
            throw new FunnelException("--order any counts people only (an attempt has no first step to start from)");
        }

        _columns = columns;
        _options = options;
        var n = options.Steps.Count;
        foreach (var (step, k) in options.Steps.Append(options.Exclude).Select((s, k) => (s, k)))
        {
            if (step is { Properties.Count: > 0 } or { Stage: not null } && (extra is null || extra[k] is null))
            {
                throw new InvalidOperationException($"step '{step.Name}' is a stage or has property conditions: its events must be matched beforehand (see FunnelQuery)");
            }
        }

        _steps = new EventMatcher[n];
        for (var k = 0; k < n; k++)
        {
            _steps[k] = new EventMatcher(columns, options.Steps[k].Conditions, extra is null ? null : extra[k]);
        }

        _exclude = options.Exclude is null ? null : new EventMatcher(columns, options.Exclude.Conditions, extra is null ? null : extra[n]);
        // Ordered, one window, nothing excluded: the earliest event of each next step is the best chain.
        _simple = options.Order == FunnelOrder.Ordered && options.StepWindows.Count == 0 && options.Exclude is null;
        _to = EventTime.ToMicros(options.To);
        _window = options.Window.Ticks / 10;
        _stepWindow = new long[n];
        for (var k = 0; k < n; k++)
        {
            _stepWindow[k] = options.StepWindows.TryGetValue(k + 1, out var w) ? w.Ticks / 10 : long.MaxValue;
        }

        _excludeFrom = options.ExcludeFrom - 1;
        _excludeTo = (options.ExcludeTo ?? n) - 1;
    }

    /// <summary>The columns the funnel runs over.</summary>
    internal EventColumns Columns => _columns;

    /// <summary>Computes the funnel over <paramref name="columns"/>.</summary>
    public static IReadOnlyList<FunnelRow> Compute(EventColumns columns, FunnelOptions options) => new FunnelKernel(columns, options).Rows();

    /// <summary>The funnel's rows, as <see cref="FunnelReference.Compute"/> gives them.</summary>
    internal IReadOnlyList<FunnelRow> Rows()
    {
        var groups = new ConcurrentBag<Dictionary<int, FunnelCounts>>();
        Parallel.ForEach(Ranges(), () => new Worker(this), (range, _, worker) =>
        {
            for (var p = range.Item1; p < range.Item2; p++)
            {
                worker.Count(p);
            }

            return worker;
        }, worker => groups.Add(worker.Groups));

        // Merge by label: the store's codes are not an order, and two codes may share a label.
        var merged = new SortedDictionary<string, FunnelCounts>(StringComparer.Ordinal);
        foreach (var (code, counts) in groups.SelectMany(g => g))
        {
            var label = GroupLabel(code);
            if (merged.TryGetValue(label, out var into))
            {
                into.Add(counts);
            }
            else
            {
                merged[label] = counts;
            }
        }

        if (_options.By is null)
        {
            return (merged.TryGetValue("", out var all) ? all : new FunnelCounts(_steps.Length)).Rows(_options, null);
        }

        return [.. merged.SelectMany(g => g.Value.Rows(_options, g.Key))];
    }

    /// <summary>The indexes (into <see cref="EventColumns.PersonIds"/>) of the people at step <paramref name="step"/> (1-based) with <paramref name="status"/>, in column order.</summary>
    internal IReadOnlyList<int> People(int step, FunnelStatus status)
    {
        if (step < 1 || step > _steps.Length)
        {
            throw new FunnelException($"--people {step}: the funnel has steps 1..{_steps.Length}");
        }

        var found = new ConcurrentBag<int>();
        Parallel.ForEach(Ranges(), () => new Worker(this), (range, _, worker) =>
        {
            for (var p = range.Item1; p < range.Item2; p++)
            {
                if (worker.Status(p, step - 1) == status)
                {
                    found.Add(p);
                }
            }

            return worker;
        }, _ => { });
        var people = found.ToArray();
        Array.Sort(people);
        return people;
    }

    /// <summary>The last event of person <paramref name="p"/> inside the analysis (exclusive end).</summary>
    internal int End(int p)
    {
        int lo = _columns.PersonStart[p], hi = _columns.PersonStart[p + 1];
        var micros = _columns.Micros;
        if (hi == lo || micros[hi - 1] <= _to)
        {
            return hi;
        }

        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (micros[mid] <= _to)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private IEnumerable<Tuple<int, int>> Ranges()
    {
        var people = _columns.PersonCount;
        for (var p = 0; p < people; p += PeoplePerRange)
        {
            yield return Tuple.Create(p, Math.Min(people, p + PeoplePerRange));
        }
    }

    // Code -1 in a field breakdown is an event without that field, -2 a person without any attempt that
    // has a first-step event; both print as (none). Without --by everything is group 0.
    private string GroupLabel(int code)
    {
        if (_options.By is null)
        {
            return "";
        }

        if (code < 0)
        {
            return "(none)";
        }

        return _options.By switch
        {
            "type" => ((EventType)code).Name(),
            "first_touch" or "last_touch" => _columns.Channel.Labels[code],
            var field => _columns.Column(field).Labels[code],
        };
    }

    /// <summary>One thread's scratch space and counts.</summary>
    private sealed class Worker
    {
        private readonly FunnelKernel _k;
        private readonly int _n;
        private readonly List<int> _frontier = [];
        private readonly List<int> _next = [];

        // The attempts of the current person.
        private readonly List<int> _start = [];
        private readonly List<int> _level = [];
        private readonly List<int> _startEvent = [];
        private long[] _duration = new long[64];
        private bool[] _open = new bool[64];

        internal Worker(FunnelKernel kernel)
        {
            _k = kernel;
            _n = kernel._steps.Length;
        }

        internal Dictionary<int, FunnelCounts> Groups { get; } = [];

        internal void Count(int p)
        {
            var first = _k._columns.PersonStart[p];
            var end = _k.End(p);
            if (end == first)
            {
                return;
            }

            Attempts(first, end);
            if (_k._options.Count == FunnelCount.Journeys)
            {
                for (var a = 0; a < _start.Count; a++)
                {
                    Add(a, a + 1, Group(a, a + 1, first, end));
                }
            }
            else if (_start.Count > 0)
            {
                Add(0, _start.Count, Group(0, _start.Count, first, end));
            }
        }

        internal FunnelStatus? Status(int p, int k)
        {
            var first = _k._columns.PersonStart[p];
            var end = _k.End(p);
            if (end == first)
            {
                return null;
            }

            Attempts(first, end);
            return Classify(0, _start.Count, k);
        }

        private void Attempts(int first, int end)
        {
            _start.Clear();
            _level.Clear();
            _startEvent.Clear();
            if (_k._options.Order == FunnelOrder.Any)
            {
                AnyOrder(first, end);
                return;
            }

            var lastStart = _k._options.Open ? _n - 1 : 0;
            for (var s = 0; s <= lastStart; s++)
            {
                var mask = _k._steps[s];
                for (var i = first; i < end; i++)
                {
                    if (mask[i])
                    {
                        if (_k._simple)
                        {
                            Greedy(s, i, end);
                        }
                        else
                        {
                            Attempt(s, i, end);
                        }
                    }
                }
            }
        }

        private int NewAttempt(int start, int startEvent)
        {
            var a = _start.Count;
            _start.Add(start);
            _level.Add(start);
            _startEvent.Add(startEvent);
            var need = (a + 1) * _n;
            if (need > _duration.Length)
            {
                Array.Resize(ref _duration, Math.Max(need, _duration.Length * 2));
                Array.Resize(ref _open, _duration.Length);
            }

            Array.Fill(_duration, -1, a * _n, _n);
            Array.Fill(_open, false, a * _n, _n);
            return a;
        }

        // One attempt: the chain started by event i at step s.
        private void Attempt(int s, int i, int end)
        {
            var k0 = _k;
            var micros = k0._columns.Micros;
            var strict = k0._options.Order == FunnelOrder.Strict;
            var a = NewAttempt(s, i);
            var row = a * _n;
            var t0 = micros[i];
            var deadline = t0 + k0._window;
            _duration[row + s] = 0;
            _frontier.Clear();
            _frontier.Add(i);
            var exclude = k0._exclude;
            var lastExcluded = -1;
            if (exclude is not null)
            {
                for (var x = end - 1; x > i; x--)
                {
                    if (exclude[x])
                    {
                        lastExcluded = x;
                        break;
                    }
                }
            }

            for (var k = s + 1; ; k++)
            {
                var stepWindow = k < _n ? k0._stepWindow[k] : long.MaxValue;
                if (k < _n)
                {
                    var excludedHere = exclude is not null && k - 1 >= k0._excludeFrom && k <= k0._excludeTo;
                    var open = false;
                    foreach (var f in _frontier)
                    {
                        if (Math.Min(deadline, Cap(micros[f], stepWindow)) > k0._to
                            && (!strict || f == end - 1)
                            && !(excludedHere && lastExcluded > f))
                        {
                            open = true;
                            break;
                        }
                    }

                    _open[row + k - 1] = open;
                }

                if (k == _n)
                {
                    break;
                }

                var excludes = exclude is not null && k - 1 >= k0._excludeFrom && k <= k0._excludeTo;
                var mask = k0._steps[k];
                _next.Clear();
                var fp = 0;
                var best = -1;
                var excludedAt = -1;
                for (var m = _frontier[0] + 1; m < end && micros[m] <= deadline; m++)
                {
                    var tm = micros[m];
                    while (fp < _frontier.Count && _frontier[fp] < m && micros[_frontier[fp]] < tm)
                    {
                        best = _frontier[fp++];
                    }

                    if (mask[m] && best >= 0 && tm <= Cap(micros[best], stepWindow)
                        && (!strict || best == m - 1) && !(excludes && excludedAt > best))
                    {
                        if (_next.Count == 0)
                        {
                            _duration[row + k] = tm - t0;
                        }

                        _next.Add(m);
                    }

                    if (excludes && exclude![m])
                    {
                        excludedAt = m;
                    }
                }

                if (_next.Count == 0)
                {
                    break;
                }

                _level[a] = k;
                _frontier.Clear();
                _frontier.AddRange(_next);
            }
        }

        private static long Cap(long time, long window) => window == long.MaxValue ? long.MaxValue : time + window;

        // Any order: windows start at each distinct time of a step event; the level is the longest prefix
        // of steps that all have an event inside one window. One attempt per person.
        private void AnyOrder(int first, int end)
        {
            var k0 = _k;
            var micros = k0._columns.Micros;
            var a = NewAttempt(0, -1);
            _level[a] = -1;
            var row = a * _n;
            for (var i = first; i < end; i++)
            {
                if (!AnyStep(i) || (i > first && micros[i] == micros[i - 1] && SameTimeStepEarlier(first, i)))
                {
                    continue;
                }

                var s = micros[i];
                var deadline = s + k0._window;
                var last = s;
                var from = i;
                while (from > first && micros[from - 1] == s)
                {
                    from--;
                }

                for (var k = 0; k < _n; k++)
                {
                    var mask = k0._steps[k];
                    var found = -1;
                    for (var m = from; m < end && micros[m] <= deadline; m++)
                    {
                        if (mask[m])
                        {
                            found = m;
                            break;
                        }
                    }

                    if (found < 0)
                    {
                        if (k > 0 && deadline > k0._to)
                        {
                            _open[row + k - 1] = true;
                        }

                        break;
                    }

                    last = Math.Max(last, micros[found]);
                    _level[a] = Math.Max(_level[a], k);
                    var d = last - s;
                    if (_duration[row + k] < 0 || d < _duration[row + k])
                    {
                        _duration[row + k] = d;
                    }
                }
            }
        }

        private bool AnyStep(int i)
        {
            foreach (var step in _k._steps)
            {
                if (step[i])
                {
                    return true;
                }
            }

            return false;
        }

        // The simple case of one attempt: with one window and nothing excluded, the step-k events on a chain
        // are those after the earliest one at step k−1, so following the earliest gives the level and the
        // shortest times, and a chain is open exactly while its window outlasts the analysis.
        private void Greedy(int s, int i, int end)
        {
            var k0 = _k;
            var micros = k0._columns.Micros;
            var a = NewAttempt(s, i);
            var row = a * _n;
            var t0 = micros[i];
            var deadline = t0 + k0._window;
            var open = deadline > k0._to;
            _duration[row + s] = 0;
            var last = t0;
            var m = i + 1;
            for (var k = s + 1; k < _n; k++)
            {
                _open[row + k - 1] = open;
                var step = k0._steps[k];
                while (m < end && micros[m] <= last)
                {
                    m++;
                }

                while (m < end && micros[m] <= deadline && !step[m])
                {
                    m++;
                }

                if (m == end || micros[m] > deadline)
                {
                    return;
                }

                last = micros[m];
                _duration[row + k] = last - t0;
                _level[a] = k;
                m++;
            }
        }

        // Whether an earlier event at the same time as event i already started a window.
        private bool SameTimeStepEarlier(int first, int i)
        {
            var micros = _k._columns.Micros;
            for (var j = i - 1; j >= first && micros[j] == micros[i]; j--)
            {
                if (AnyStep(j))
                {
                    return true;
                }
            }

            return false;
        }

        private int Group(int from, int to, int first, int end)
        {
            var by = _k._options.By;
            if (by is null)
            {
                return 0;
            }

            var channel = _k._columns.Channel.Codes;
            if (by == "first_touch")
            {
                for (var i = first; i < end; i++)
                {
                    if (channel[i] >= 0)
                    {
                        return channel[i];
                    }
                }

                return -1;
            }

            if (by == "last_touch")
            {
                for (var i = end - 1; i >= first; i--)
                {
                    if (channel[i] >= 0)
                    {
                        return channel[i];
                    }
                }

                return -1;
            }

            // The attempt that got furthest (the earliest of equals) speaks for the unit.
            var best = -1;
            for (var a = from; a < to; a++)
            {
                if (_start[a] == 0 && _startEvent[a] >= 0 && (best < 0 || _level[a] > _level[best]))
                {
                    best = a;
                }
            }

            if (best < 0)
            {
                return -2;
            }

            var e = _startEvent[best];
            return by == "type" ? _k._columns.Types[e] : _k._columns.Column(by).Codes[e];
        }

        // One unit (a person's attempts from..to, or one attempt).
        private void Add(int from, int to, int group)
        {
            var any = false;
            for (var a = from; a < to && !any; a++)
            {
                any = _level[a] >= 0;
            }

            if (!any)
            {
                return;
            }

            if (!Groups.TryGetValue(group, out var counts))
            {
                Groups[group] = counts = new FunnelCounts(_n);
            }

            for (var k = 0; k < _n; k++)
            {
                bool reach = false, continued = false;
                var fromStart = long.MaxValue;
                for (var a = from; a < to; a++)
                {
                    if (_start[a] <= k && _level[a] >= k)
                    {
                        reach = true;
                        continued |= _start[a] < k;
                        var d = _duration[(a * _n) + k];
                        if (_start[a] == 0 && d >= 0 && d < fromStart)
                        {
                            fromStart = d;
                        }
                    }
                }

                if (!reach)
                {
                    continue;
                }

                counts.Reach[k]++;
                if (k > 0 && continued)
                {
                    counts.Continued[k]++;
                }
                else
                {
                    counts.EnteredHere[k]++;
                }

                if (fromStart != long.MaxValue)
                {
                    counts.FromStart[k]++;
                    counts.Durations[k].Add(fromStart / 1_000_000.0);
                }

                switch (Classify(from, to, k))
                {
                    case FunnelStatus.InWindow:
                        counts.InWindow[k]++;
                        break;
                    case FunnelStatus.Dropped:
                        counts.Dropped[k]++;
                        break;
                }
            }
        }

        private FunnelStatus? Classify(int from, int to, int k)
        {
            bool reach = false, next = false, open = false;
            for (var a = from; a < to; a++)
            {
                if (_start[a] > k)
                {
                    continue;
                }

                reach |= _level[a] >= k;
                next |= _level[a] >= k + 1;
                open |= _level[a] == k && _open[(a * _n) + k];
            }

            if (!reach)
            {
                return null;
            }

            if (k + 1 == _n || next)
            {
                return FunnelStatus.Converted;
            }

            return open ? FunnelStatus.InWindow : FunnelStatus.Dropped;
        }
    }
}
