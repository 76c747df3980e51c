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
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var journeys = JourneyColumns.ToJourneys(columns, to);
        return StageAnalysis.Compute(journeys, model);
    }
}
