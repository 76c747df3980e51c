using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Paths;

/// <summary>
/// Flows (Sankey rows) around an anchor event. Each person with the anchor contributes exactly one link
/// per depth, so every depth's people add up to everyone with the anchor: a person out of steps goes to
/// <c>(exit)</c> (after) or comes from <c>(start)</c> (before), and nodes beyond the most common ones
/// at a depth are merged into <c>(other)</c> instead of being dropped.
/// </summary>
public static class Flow
{
    /// <summary>The flow rows over <paramref name="columns"/>.</summary>
    public static IReadOnlyList<FlowRow> Compute(EventColumns columns, FlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return Links(JourneyColumns.ToJourneys(columns, options.To), options);
    }

    /// <summary>The flow rows over <paramref name="people"/> (events in stream order).</summary>
    public static IReadOnlyList<FlowRow> Links(IEnumerable<PersonJourney> people, FlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var to = EventTime.ToMicros(options.To);
        var conversions = new HashSet<string>(options.ConversionEvents, StringComparer.Ordinal);

        // Per person: the nodes at depths 1..D+1 (index 0 is the anchor side of depth 1).
        var sequences = new List<string[]>();
        foreach (var person in people)
        {
            var events = person.Events.Where(e => e.Micros <= to).ToList();
            var at = events.FindIndex(e => e.Name == options.Event);
            if (at < 0)
            {
                continue;
            }

            var steps = new List<string>();
            if (options.Anchor == FlowAnchor.Before)
            {
                for (var i = at - 1; i >= 0 && steps.Count < options.Depth; i--)
                {
                    if (Step(events[i], options, conversions) is { } step)
                    {
                        steps.Add(step);
                    }
                }
            }
            else
            {
                for (var i = at + 1; i < events.Count && steps.Count < options.Depth; i++)
                {
                    if (options.Anchor == FlowAnchor.Between && events[i].Name == options.Until)
                    {
                        steps.Add(options.Until!);
                        break;
                    }

                    if (Step(events[i], options, conversions) is { } step)
                    {
                        steps.Add(step);
                    }
                }
            }

            var filler = options.Anchor == FlowAnchor.Before ? FlowOptions.Start : FlowOptions.Exit;
            var sequence = new string[options.Depth + 1];
            sequence[0] = options.Event;
            for (var d = 1; d <= options.Depth; d++)
            {
                sequence[d] = d <= steps.Count ? steps[d - 1] : filler;
            }

            sequences.Add(sequence);
        }

        // Keep the most common nodes per depth (ties by name); the anchor and the filler always stay.
        var all = sequences.Count;
        for (var d = 1; d <= options.Depth; d++)
        {
            var keep = sequences.GroupBy(s => s[d], StringComparer.Ordinal)
                .Where(g => g.Key is not (FlowOptions.Exit or FlowOptions.Start))
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(options.Nodes).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var s in sequences)
            {
                if (s[d] is not (FlowOptions.Exit or FlowOptions.Start) && !keep.Contains(s[d]))
                {
                    s[d] = FlowOptions.Other;
                }
            }
        }

        var rows = new List<FlowRow>();
        for (var d = 1; d <= options.Depth; d++)
        {
            var depth = d;
            rows.AddRange(sequences
                .GroupBy(s => options.Anchor == FlowAnchor.Before ? (From: s[depth], To: s[depth - 1]) : (From: s[depth - 1], To: s[depth]))
                .Select(g => new FlowRow(depth, g.Key.From, g.Key.To, g.Count(), Math.Round((double)g.Count() / all, 6)))
                .OrderByDescending(r => r.People).ThenBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal));
        }

        return rows;
    }

    private static string? Step(JourneyEvent e, FlowOptions options, HashSet<string> conversions)
    {
        if (e.Name is not null && conversions.Contains(e.Name))
        {
            return e.Name;
        }

        return PathReference.TouchOf(e, options.Touch);
    }
}
