using Pretzel.Analytics.Journeys;
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
}
