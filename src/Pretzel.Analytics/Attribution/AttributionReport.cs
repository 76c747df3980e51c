using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// What <c>pretzel attribution</c> answers (and an HTTP endpoint can, with <see cref="RunAsync"/>), from text options:
/// the attribution rows of every model asked for, over the store's journeys cut by <see cref="Paths"/>, or over a path
/// table read from a file (<see cref="Run(AttributionTable)"/>). With <see cref="Compare"/>, the models side by side.
/// </summary>
public sealed record AttributionReport : IReport
{
    /// <summary>How journeys are cut from the store (as <c>pretzel paths</c>).</summary>
    public PathArguments Paths { get; init; } = new();

    /// <summary>Comma-separated models (default: every model the input allows).</summary>
    public string? Models { get; init; }

    /// <summary>Markov order 1..4 (default 1).</summary>
    public int? MarkovOrder { get; init; }

    /// <summary>Time decay half-life such as <c>7d</c> (default).</summary>
    public string? HalfLife { get; init; }

    /// <summary>Position-based weights <c>first,middle,last</c> (default <c>40,20,40</c>).</summary>
    public string? PositionWeights { get; init; }

    /// <summary>One row per channel with each model's conversions, instead of one row per model and channel.</summary>
    public bool Compare { get; init; }

    /// <summary>
    /// The model options; <paramref name="withTimes"/> is whether the input has touch times (the store does, a path
    /// table file does not). Throws <see cref="PathException"/> naming the bad option.
    /// </summary>
    public AttributionOptions Options(bool withTimes)
    {
        TimeSpan halfLife;
        try
        {
            halfLife = HalfLife is null ? TimeSpan.FromDays(7) : FunnelArguments.ParseDuration(HalfLife, "--half-life");
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }

        var options = new AttributionOptions
        {
            Models = AttributionModels.Parse(Models, withTimes),
            MarkovOrder = MarkovOrder ?? 1,
            HalfLife = halfLife,
            PositionWeights = PositionWeights is null ? Attribution.PositionWeights.Default : Attribution.PositionWeights.Parse(PositionWeights),
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks the options for a run over the store without reading anything; throws <see cref="PathException"/>.</summary>
    public (PathOptions Paths, AttributionOptions Attribution) Validate(DateTime now) => (Paths.ToOptions(now), Options(withTimes: true));

    public void Check(DateTime now) => Validate(now);

    /// <summary>Attribution over the store's journeys: the path table, and the journeys' touch times when time decay is asked for.</summary>
    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default) =>
        Output((await RowsAsync(store, now, cancellationToken).ConfigureAwait(false)).Rows);

    /// <summary>
    /// The attribution rows over the store's journeys (whatever <see cref="Compare"/> says), with the event columns and
    /// path options they came from, for analyses that go on from them (<see cref="AttributionEvaluation"/>).
    /// </summary>
    public async Task<(IReadOnlyList<AttributionRow> Rows, EventColumns Columns, PathOptions Paths)> RowsAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (paths, options) = Validate(now);
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var table = AttributionTable.FromRows(PathKernel.Compute(columns, paths).Table);
        IReadOnlyList<PathJourney>? journeys = null;
        if (options.Models.Any(AttributionModels.NeedTimes.Contains))
        {
            journeys = [.. JourneyColumns.ToJourneys(columns, paths.To).SelectMany(person => PathReference.Journeys(person, paths))];
        }

        return (AttributionEngine.Run(table, journeys, options), columns, paths);
    }

    /// <summary>Attribution over a path table read from a file (no touch times: time decay is refused).</summary>
    public ReportTable Run(AttributionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Output(AttributionEngine.Run(table, null, Options(withTimes: false)));
    }

    private ReportTable Output(IReadOnlyList<AttributionRow> rows) =>
        Compare ? AttributionEngine.Compare(rows) : new ReportTable(AttributionRow.Columns, [.. rows.Select(r => r.Values())]);
}
