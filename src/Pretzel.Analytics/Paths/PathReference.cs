using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Paths;

/// <summary>
/// Journeys and their paths, computed the plain way over each person's events: the oracle the fast
/// kernel is tested against. docs/analyses/paths.md states the rules.
/// </summary>
public static class PathReference
{
    /// <summary>Every path of <paramref name="people"/>, in <see cref="TouchOrder"/>.</summary>
    public static PathResult Compute(IEnumerable<PersonJourney> people, PathOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var to = EventTime.ToMicros(options.To);
        var lookback = options.Lookback.Ticks / 10;
        var conversions = new HashSet<string>(options.ConversionEvents, StringComparer.Ordinal);
        var paths = new Dictionary<string, PathSummary>(StringComparer.Ordinal);
        long persons = 0, journeys = 0;
        foreach (var person in people)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var buffer = new List<(string Touch, long Micros)>();
            var any = false;
            void Close(bool converted, long end, double value)
            {
                var kept = buffer.Where(t => t.Micros >= end - lookback).ToList();

                // The journey starts at its first touch within the lookback, however much of it the path shows.
                var start = kept.Count > 0 ? kept[0].Micros : 0;
                if (options.Collapse)
                {
                    kept = [.. kept.Where((t, i) => i == 0 || t.Touch != kept[i - 1].Touch)];
                }

                if (options.MaxLength is { } max && kept.Count > max)
                {
                    kept = kept[^max..];
                }

                var key = string.Join('\u001f', kept.Select(t => t.Touch));
                if (!paths.TryGetValue(key, out var summary))
                {
                    paths[key] = summary = new PathSummary([.. kept.Select(t => t.Touch)]);
                }

                summary.Journeys++;
                if (converted)
                {
                    summary.Conversions++;
                    summary.Value += value;
                    if (kept.Count > 0)
                    {
                        summary.DaysToConvert.Add((end - start) / 86_400_000_000.0);
                    }
                }

                if (seen.Add(key))
                {
                    summary.People++;
                }

                journeys++;
                any = true;
            }

            foreach (var e in person.Events.Where(e => e.Micros <= to))
            {
                if (e.Name is not null && conversions.Contains(e.Name))
                {
                    Close(true, e.Micros, e.Revenue ?? 0);
                    buffer.Clear();
                    continue;
                }

                if (TouchOf(e, options.Touch) is { } touch)
                {
                    buffer.Add((touch, e.Micros));
                }
            }

            if (buffer.Count > 0)
            {
                Close(false, buffer[^1].Micros, 0);
            }

            if (any)
            {
                persons++;
            }
        }

        return new PathResult([.. paths.Values.OrderBy(p => p.Touches, TouchOrder.Instance)], persons, journeys);
    }

    private static string? TouchOf(JourneyEvent e, TouchKind touch) => touch switch
    {
        TouchKind.Channel => e.Channel,
        TouchKind.Campaign => e.Campaign,
        TouchKind.Event => e.Name,
        _ => e.Name is null ? null : (e.Channel ?? "(none)") + ":" + e.Name,
    };
}
