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
        var paths = new Dictionary<string, PathSummary>(StringComparer.Ordinal);
        long persons = 0, journeys = 0;
        foreach (var person in people)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var journey in Journeys(person, options))
            {
                var key = string.Join('\u001f', journey.Touches);
                if (!paths.TryGetValue(key, out var summary))
                {
                    paths[key] = summary = new PathSummary(journey.Touches);
                }

                summary.Journeys++;
                if (journey.Converted)
                {
                    summary.Conversions++;
                    summary.Value += journey.Value;
                    if (journey.Touches.Count > 0)
                    {
                        summary.DaysToConvert.Add((journey.End - journey.Start) / 86_400_000_000.0);
                    }
                }

                if (seen.Add(key))
                {
                    summary.People++;
                }

                journeys++;
            }

            if (seen.Count > 0)
            {
                persons++;
            }
        }

        return new PathResult([.. paths.Values.OrderBy(p => p.Touches, TouchOrder.Instance)], persons, journeys);
    }

    /// <summary>
    /// One person's journeys, in order, by the rules of docs/analyses/paths.md: each with its touches (after
    /// lookback, collapse and maximum length), their times, whether it converted, its value, the time of its
    /// first touch within the lookback (<see cref="PathJourney.Start"/>) and of its end.
    /// </summary>
    public static IEnumerable<PathJourney> Journeys(PersonJourney person, PathOptions options)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var to = EventTime.ToMicros(options.To);
        var lookback = options.Lookback.Ticks / 10;
        var conversions = new HashSet<string>(options.ConversionEvents, StringComparer.Ordinal);
        var buffer = new List<(string Touch, long Micros)>();
        PathJourney Close(bool converted, long end, double value)
        {
            var kept = buffer.Where(t => t.Micros >= end - lookback).ToList();

            // The journey starts at its first touch within the lookback, however much of it the path shows.
            var start = kept.Count > 0 ? kept[0].Micros : end;
            if (options.Collapse)
            {
                kept = [.. kept.Where((t, i) => i == 0 || t.Touch != kept[i - 1].Touch)];
            }

            if (options.MaxLength is { } max && kept.Count > max)
            {
                kept = kept[^max..];
            }

            return new PathJourney([.. kept.Select(t => t.Touch)], [.. kept.Select(t => t.Micros)], converted, value, start, end);
        }

        foreach (var e in person.Events.Where(e => e.Micros <= to))
        {
            if (e.Name is not null && conversions.Contains(e.Name))
            {
                yield return Close(true, e.Micros, e.Revenue ?? 0);
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
            yield return Close(false, buffer[^1].Micros, 0);
        }
    }

    /// <summary>The touch an event makes under <paramref name="touch"/>, or null when it makes none.</summary>
    internal static string? TouchOf(JourneyEvent e, TouchKind touch) => touch switch
    {
        TouchKind.Channel => e.Channel,
        TouchKind.Campaign => e.Campaign,
        TouchKind.Event => e.Name,
        TouchKind.ChannelCampaign => e.Channel is null ? null : e.Channel + ":" + (e.Campaign ?? "(none)"),
        _ => e.Name is null ? null : (e.Channel ?? "(none)") + ":" + e.Name,
    };
}
