using Pretzel.Analytics.Journeys;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Shapes;

/// <summary>Runs a journey shape analysis over a store: every person's events up to <c>To</c> (from the store's event columns), then <see cref="ShapeAnalysis"/>.</summary>
public static class ShapeQuery
{
    public static async Task<IReadOnlyList<ShapeRow>> RunAsync(IEventStore store, ShapeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentNullException.ThrowIfNull(store);
        // Property conditions are read from each event's properties, which the columns do not hold.
        var journeys = options.Model.HasPropertyConditions
            ? await JourneyLoader.LoadAsync(store, options.To, cancellationToken, withProperties: true).ConfigureAwait(false)
            : JourneyColumns.ToJourneys(await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false), options.To);
        return ShapeAnalysis.Compute(journeys, options);
    }
}
