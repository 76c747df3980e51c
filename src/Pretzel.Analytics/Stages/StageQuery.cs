using Pretzel.Analytics.Journeys;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Stages;

/// <summary>Runs a stage model over a store: every person's events up to <c>to</c>, then <see cref="StageAnalysis"/>.</summary>
public static class StageQuery
{
    public static async Task<IReadOnlyList<StageRow>> RunAsync(IEventStore store, StageModel model, DateTime? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        var journeys = await JourneyLoader.LoadAsync(store, to, cancellationToken).ConfigureAwait(false);
        return StageAnalysis.Compute(journeys, model);
    }
}
