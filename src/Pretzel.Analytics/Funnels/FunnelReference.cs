using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// The funnel, computed the plain way: every person, every attempt, every way of matching the steps
/// (exhaustive, no greedy shortcut, so per-step windows and exclusions are exact). This is the oracle
/// that faster implementations are tested against; docs/analyses/funnel.md states the semantics.
/// </summary>
public static class FunnelReference
{
    /// <summary>Computes the funnel's rows over <paramref name="people"/>.</summary>
    public static IReadOnlyList<FunnelRow> Compute(IEnumerable<PersonJourney> people, FunnelOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Order == FunnelOrder.Any && options.Count == FunnelCount.Journeys)
        {
            throw new FunnelException("--order any counts people only (an attempt has no first step to start from)");
        }

        var steps = options.Steps.Count;
        var tallies = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        Tally TallyOf(string key) => tallies.TryGetValue(key, out var t) ? t : tallies[key] = new Tally(steps);
        var to = EventTime.ToMicros(options.To);
        foreach (var person in people)
        {
            var events = person.Events.Where(e => e.Micros <= to).ToList();
            var m = new Matched(events, options);
            var attempts = options.Order == FunnelOrder.Any ? [AnyOrder(events, m, options, to)] : Attempts(events, m, options, to);
            if (options.Count == FunnelCount.Journeys)
            {
                foreach (var a in attempts)
                {
                    TallyOf(Key(options.By, [a], events)).Add([a], steps);
                }
            }
            else if (attempts.Any(a => a.Level >= 0))
            {
                TallyOf(Key(options.By, attempts, events)).Add(attempts, steps);
            }
        }

        if (options.By is null)
        {
            return tallies.TryGetValue("", out var all) ? all.Rows(options, null) : new Tally(steps).Rows(options, null);
        }

        return [.. tallies.SelectMany(t => t.Value.Rows(options, t.Key))];
    }

    /// <summary>What <c>--by</c> groups a unit by: a field of the best attempt's first event, or the person's first or last touch.</summary>
    private static string Key(string? by, IReadOnlyList<Attempt> attempts, List<JourneyEvent> events)
    {
        if (by is null)
        {
            return "";
        }

        string? value;
        if (by is "first_touch" or "last_touch")
        {
            var touches = events.Where(e => e.Channel is not null);
            value = by == "first_touch" ? touches.FirstOrDefault()?.Channel : touches.LastOrDefault()?.Channel;
        }
        else
        {
            // The attempt that got furthest (the earliest of equals) speaks for the person.
            var best = attempts.Where(a => a.Start == 0 && a.StartEvent is not null).OrderByDescending(a => a.Level).ThenBy(a => a.StartEvent!.Micros).FirstOrDefault();
            var e = best?.StartEvent;
            value = e is null ? null : by switch
            {
                "channel" => e.Channel,
                "source" => e.Source,
                "medium" => e.Medium,
                "campaign" => e.Campaign,
                _ => e.Type,
            };
        }

        return value ?? "(none)";
    }

    /// <summary>
    /// The people at step <paramref name="step"/> (1-based) with the given outcome there: <c>converted</c>
    /// (went on to the next step; on the last step, reached it), <c>dropped</c> (did not, window closed)
    /// or <c>in_window</c> (did not yet, window still open at the end of the analysis).
    /// </summary>
    public static IReadOnlyList<PersonJourney> People(IEnumerable<PersonJourney> people, FunnelOptions options, int step, FunnelStatus status)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (step < 1 || step > options.Steps.Count)
        {
            throw new FunnelException($"--people {step}: the funnel has steps 1..{options.Steps.Count}");
        }

        var to = EventTime.ToMicros(options.To);
        var result = new List<PersonJourney>();
        foreach (var person in people)
        {
            var events = person.Events.Where(e => e.Micros <= to).ToList();
            var m = new Matched(events, options);
            var attempts = options.Order == FunnelOrder.Any ? [AnyOrder(events, m, options, to)] : Attempts(events, m, options, to);
            if (Classify(attempts, step - 1, options.Steps.Count) == status)
            {
                result.Add(person);
            }
        }

        return result;
    }

    // Where one unit (a person's attempts, or one attempt) stands at step k (0-based); null when it never reached it.
    private static FunnelStatus? Classify(IReadOnlyList<Attempt> attempts, int k, int stepCount)
    {
        if (!attempts.Any(a => a.Start <= k && a.Level >= k))
        {
            return null;
        }

        if (k + 1 == stepCount || attempts.Any(a => a.Start <= k && a.Level >= k + 1))
        {
            return FunnelStatus.Converted;
        }

        return attempts.Any(a => a.Start <= k && a.Level == k && a.Open[k]) ? FunnelStatus.InWindow : FunnelStatus.Dropped;
    }

    /// <summary>What one attempt (a chain started by one event of step <see cref="Start"/>) reached.</summary>
    private sealed class Attempt(int start, int steps)
    {
        internal int Start { get; } = start;

        /// <summary>The event that started the attempt (null for any-order windows).</summary>
        internal JourneyEvent? StartEvent { get; init; }

        /// <summary>Furthest step reached (0-based).</summary>
        internal int Level { get; set; } = start;

        /// <summary>Per step: the shortest time from the start event to an event of that step on a valid chain.</summary>
        internal long?[] Duration { get; } = new long?[steps];

        /// <summary>Per step: whether a chain at that step could still go on after the end of the analysis.</summary>
        internal bool[] Open { get; } = new bool[steps];
    }

    /// <summary>Per step (and the exclusion): which of the person's events match it.</summary>
    private sealed class Matched(List<JourneyEvent> events, FunnelOptions options)
    {
        internal bool[][] Steps { get; } = [.. options.Steps.Select(s => s.MatchAll(events))];

        internal bool[]? Exclude { get; } = options.Exclude?.MatchAll(events);
    }

    private static List<Attempt> Attempts(List<JourneyEvent> events, Matched matched, FunnelOptions options, long to)
    {
        var steps = options.Steps;
        var window = options.Window.Ticks / 10;
        var excludeTo = (options.ExcludeTo ?? steps.Count) - 1;
        var attempts = new List<Attempt>();
        var lastStart = options.Open ? steps.Count - 1 : 0;
        for (var start = 0; start <= lastStart; start++)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (!matched.Steps[start][i])
                {
                    continue;
                }

                var t0 = events[i].Micros;
                var attempt = new Attempt(start, steps.Count) { StartEvent = events[i] };
                attempt.Duration[start] = 0;
                List<int> frontier = [i];
                for (var k = start + 1; ; k++)
                {
                    // Could a chain ending at step k−1 still reach step k after the end of the analysis?
                    var stepWindow = options.StepWindows.TryGetValue(k + 1, out var w) ? w.Ticks / 10 : long.MaxValue;
                    if (k < steps.Count)
                    {
                        // Only if its deadline is after the end, nothing already stored rules the next step out: in
                        // strict order any later event does, and so does an excluded event in the stretch.
                        var excludedHere = options.Exclude is not null && k - 1 >= options.ExcludeFrom - 1 && k <= excludeTo;
                        attempt.Open[k - 1] = frontier.Exists(f => Math.Min(t0 + window, Cap(events[f].Micros, stepWindow)) > to
                            && (options.Order != FunnelOrder.Strict || f == events.Count - 1)
                            && !(excludedHere && Excluded(matched.Exclude!, f, events.Count)));
                    }

                    if (k == steps.Count)
                    {
                        break;
                    }

                    var next = new List<int>();
                    for (var m = 0; m < events.Count; m++)
                    {
                        var e = events[m];
                        if (e.Micros > t0 + window || !matched.Steps[k][m])
                        {
                            continue;
                        }

                        foreach (var f in frontier)
                        {
                            var prev = events[f];
                            if (m <= f || e.Micros <= prev.Micros || e.Micros > Cap(prev.Micros, stepWindow)
                                || (options.Order == FunnelOrder.Strict && m != f + 1)
                                || (matched.Exclude is { } ex && k - 1 >= options.ExcludeFrom - 1 && k <= excludeTo && Excluded(ex, f, m)))
                            {
                                continue;
                            }

                            next.Add(m);
                            var d = e.Micros - t0;
                            attempt.Duration[k] = attempt.Duration[k] is { } best ? Math.Min(best, d) : d;
                            break;
                        }
                    }

                    if (next.Count == 0)
                    {
                        break;
                    }

                    attempt.Level = k;
                    frontier = next;
                }

                attempts.Add(attempt);
            }
        }

        return attempts;
    }

    private static long Cap(long time, long window) => window == long.MaxValue ? long.MaxValue : time + window;

    private static bool Excluded(bool[] exclude, int from, int to)
    {
        for (var x = from + 1; x < to; x++)
        {
            if (exclude[x])
            {
                return true;
            }
        }

        return false;
    }

    // Any order: a window may start at any step event; the level is the longest prefix of steps that
    // all have an event inside it.
    private static Attempt AnyOrder(List<JourneyEvent> events, Matched matched, FunnelOptions options, long to)
    {
        var steps = options.Steps;
        var window = options.Window.Ticks / 10;
        var best = new Attempt(0, steps.Count) { Level = -1 };
        foreach (var s in events.Where((_, i) => matched.Steps.Any(st => st[i])).Select(e => e.Micros).Distinct())
        {
            long last = s;
            for (var k = 0; k < steps.Count; k++)
            {
                var at = Enumerable.Range(0, events.Count).FirstOrDefault(i => events[i].Micros >= s && events[i].Micros <= s + window && matched.Steps[k][i], -1);
                var first = at < 0 ? null : events[at];
                if (first is null)
                {
                    if (k > 0 && s + window > to)
                    {
                        best.Open[k - 1] = true;
                    }

                    break;
                }

                last = Math.Max(last, first.Micros);
                best.Level = Math.Max(best.Level, k);
                best.Duration[k] = best.Duration[k] is { } d ? Math.Min(d, last - s) : last - s;
            }
        }

        return best;
    }

    private sealed class Tally(int steps)
    {
        private readonly FunnelCounts _counts = new(steps);

        // One unit (a person, or one attempt) with its attempts.
        internal void Add(IReadOnlyList<Attempt> attempts, int stepCount)
        {
            if (attempts.All(a => a.Level < 0))
            {
                return;
            }

            for (var k = 0; k < stepCount; k++)
            {
                var reach = attempts.Any(a => a.Start <= k && a.Level >= k);
                if (!reach)
                {
                    continue;
                }

                _counts.Reach[k]++;
                var continued = k > 0 && attempts.Any(a => a.Start < k && a.Level >= k);
                if (continued)
                {
                    _counts.Continued[k]++;
                }
                else
                {
                    _counts.EnteredHere[k]++;
                }

                var fromStart = attempts.Where(a => a.Start == 0 && a.Level >= k).Select(a => a.Duration[k]).Where(d => d is not null).Select(d => d!.Value).ToList();
                if (fromStart.Count > 0)
                {
                    _counts.FromStart[k]++;
                    _counts.Durations[k].Add(fromStart.Min() / 1_000_000.0);
                }

                switch (Classify(attempts, k, stepCount))
                {
                    case FunnelStatus.InWindow:
                        _counts.InWindow[k]++;
                        break;
                    case FunnelStatus.Dropped:
                        _counts.Dropped[k]++;
                        break;
                }
            }
        }

        internal IReadOnlyList<FunnelRow> Rows(FunnelOptions options, string? group) => _counts.Rows(options, group);
    }
}
