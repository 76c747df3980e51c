using Pretzel.Analytics.Journeys;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Stages;

/// <summary>Runs a stage model over a store: every person's events up to <c>to</c> (from the store's event columns), then <see cref="StageAnalysis"/>.</summary>
public static class StageQuery
{
    public static async Task<IReadOnlyList<StageRow>> RunAsync(IEventStore store, StageModel model, DateTime? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        ArgumentNullException.ThrowIfNull(store);
        // Property conditions are read from each event's properties, which the columns do not hold.
        var journeys = model.HasPropertyConditions
            ? await JourneyLoader.LoadAsync(store, to, cancellationToken, withProperties: true).ConfigureAwait(false)
            : JourneyColumns.ToJourneys(await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false), to);
        return StageAnalysis.Compute(journeys, model);
    }
}
