using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.JourneyMap;

/// <summary>
/// What <c>pretzel journey-map</c> (and an HTTP endpoint) answers, from text options: per stage of a model, the stage
/// report's numbers and the touchpoints used there (docs/analyses/journey-map.md). <see cref="BuildAsync"/> gives the
/// map itself, which <see cref="JourneyMapDocument"/> writes as Markdown or HTML.
/// </summary>
public sealed record JourneyMapReport : IReport
{
    /// <summary>A built-in model (default <c>journey</c>) or a YAML model file.</summary>
    public string? Model { get; init; }

    /// <summary><c>channel</c> (default) or <c>event</c>.</summary>
    public string? Touch { get; init; }

    /// <summary>Touchpoints shown per stage (default 5).</summary>
    public int? Top { get; init; }

    /// <summary>End of the analysis (default: all events).</summary>
    public string? To { get; init; }

    /// <summary>The resolved model, touchpoint kind, top and end; throws <see cref="PathException"/> naming a bad option.</summary>
    public (StageModel Model, TouchpointKind Kind, int Top, DateTime? To) Options()
    {
        var kind = Touch switch
        {
            null or "channel" => TouchpointKind.Channel,
            "event" => TouchpointKind.Event,
            _ => throw new PathException($"--touch {Touch}: expected channel or event"),
        };
        if (Top is < 1 or > 1000)
        {
            throw new PathException($"--top {Top}: expected 1 to 1000");
        }

        StageModel model;
        try
        {
            model = StageModelFile.Resolve(Model ?? "journey");
            model.Validate();
        }
        catch (StageModelException ex)
        {
            throw new PathException(ex.Message);
        }

        DateTime? to = null;
        if (To is not null)
        {
            try
            {
                to = FunnelArguments.ParseTime(To);
            }
            catch (FunnelException ex)
            {
                throw new PathException(ex.Message);
            }
        }

        return (model, kind, Top ?? JourneyMapBuilder.DefaultTop, to);
    }

    public void Check(DateTime now) => _ = Options();

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default) =>
        JourneyMapRows.Table(await BuildAsync(store, cancellationToken).ConfigureAwait(false));

    /// <summary>The map over <paramref name="store"/>: its journeys read once, as <see cref="StageQuery"/> reads them.</summary>
    public async Task<JourneyMap> BuildAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (model, kind, top, to) = Options();
        // Property conditions are read from each event's properties, which the columns do not hold.
        var journeys = model.HasPropertyConditions
            ? await JourneyLoader.LoadAsync(store, to, cancellationToken, withProperties: true).ConfigureAwait(false)
            : JourneyColumns.ToJourneys(await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false), to);
        return JourneyMapBuilder.Build(journeys, model, kind, top);
    }
}
