using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Funnels;

/// <summary>Runs a funnel over a store: loads the journeys up to the end of the analysis and computes the rows.</summary>
public static class FunnelQuery
{
    /// <summary>The funnel's rows over every person in <paramref name="store"/>.</summary>
    public static async Task<IReadOnlyList<FunnelRow>> RunAsync(IEventStore store, FunnelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var journeys = await JourneyLoader.LoadAsync(store, options.To, cancellationToken).ConfigureAwait(false);
        return FunnelReference.Compute(journeys, options);
    }

    /// <summary>Columns of <see cref="PeopleAsync"/>'s rows.</summary>
    public static IReadOnlyList<string> PeopleColumns { get; } = ["person_id", "first_seen", "last_seen", "first_touch", "last_touch", "events"];

    /// <summary>
    /// Who is at step <paramref name="step"/> with <paramref name="status"/>: person id, first and last event
    /// time, the channel of their first and last touch (events with a channel), and their event count.
    /// </summary>
    public static async Task<IReadOnlyList<object?[]>> PeopleAsync(IEventStore store, FunnelOptions options, int step, FunnelStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var journeys = await JourneyLoader.LoadAsync(store, options.To, cancellationToken).ConfigureAwait(false);
        return [.. FunnelReference.People(journeys, options, step, status).Select(p => new object?[]
        {
            p.PersonId,
            Pretzel.Core.Events.EventTime.FromMicros(p.Events[0].Micros),
            Pretzel.Core.Events.EventTime.FromMicros(p.Events[^1].Micros),
            p.Events.FirstOrDefault(e => e.Channel is not null)?.Channel,
            p.Events.LastOrDefault(e => e.Channel is not null)?.Channel,
            (long)p.Events.Count,
        })];
    }
}
