using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// One output row: a channel's credit under a model. <see cref="Value"/> is empty when the input had no values,
/// <see cref="Share"/> (conversions over all conversions) when nothing converted, <see cref="RemovalEffect"/> for every
/// model but <c>markov</c>.
/// </summary>
public sealed record AttributionRow(string Model, string Channel, double Conversions, double? Value, double? Share, double? RemovalEffect)
{
    public static IReadOnlyList<string> Columns { get; } = ["model", "channel", "conversions", "value", "share", "removal_effect"];

    /// <summary>The row as printed: numbers rounded to 6 decimals.</summary>
    public object?[] Values() => [Model, Channel, Round(Conversions), Round(Value), Round(Share), Round(RemovalEffect)];

    internal static double Round(double value)
    {
        var rounded = Math.Round(value, 6);
        return rounded == 0 ? 0 : rounded;
    }

    internal static double? Round(double? value) => value is { } v ? Round(v) : null;
}

/// <summary>Runs the models over a path table (and, for time decay, the journeys with their touch times).</summary>
public static class AttributionEngine
{
    /// <summary>
    /// Rows for every model in <paramref name="options"/>, ordered by model (in <see cref="AttributionModels.All"/> order),
    /// then conversions (rounded to 6 decimals) descending, then channel (ordinal). Every channel used in the table gets a
    /// row under every model. <paramref name="journeys"/> are needed for <c>time_decay</c> only: the journeys of the same
    /// store and path options as the table (<see cref="PathReference.Journeys"/>).
    /// </summary>
    public static IReadOnlyList<AttributionRow> Run(AttributionTable table, IReadOnlyList<PathJourney>? journeys, AttributionOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var rows = new List<AttributionRow>();
        var used = table.UsedChannels();
        foreach (var model in AttributionModels.All.Where(options.Models.Contains))
        {
            var credits = Model(table, journeys, model, options);
            var channels = credits.ToDictionary(c => c.Channel, StringComparer.Ordinal);
            for (var c = 0; c < used.Length; c++)
            {
                // A channel in the table that the model's own input (the journeys) did not hold gets 0.
                if (used[c] && !channels.ContainsKey(table.Channels[c]))
                {
                    channels[table.Channels[c]] = new ChannelCredit(table.Channels[c], 0, 0, model == AttributionModels.Markov ? 0 : null);
                }
            }

            var total = table.TotalConversions;
            rows.AddRange(channels.Values
                .Select(c => new AttributionRow(model, c.Channel, c.Conversions, table.HasValue ? c.Value : null,
                    total > 0 ? c.Conversions / total : null, model == AttributionModels.Markov ? c.RemovalEffect ?? 0 : null))
                .OrderByDescending(r => AttributionRow.Round(r.Conversions))
                .ThenBy(r => r.Channel, StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>One model's credits, one per channel.</summary>
    public static IReadOnlyList<ChannelCredit> Model(AttributionTable table, IReadOnlyList<PathJourney>? journeys, string model, AttributionOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        return model switch
        {
            AttributionModels.TimeDecay => HeuristicAttribution.TimeDecay(
                journeys ?? throw new PathException($"--models {model}: needs the time of every touch, which a path table does not have; run it on the store"),
                options.HalfLife),
            AttributionModels.Markov => MarkovAttribution.Compute(table, options.MarkovOrder),
            AttributionModels.Shapley => ShapleyAttribution.Compute(table),
            _ when AttributionModels.All.Contains(model) => HeuristicAttribution.Compute(table, model, options.PositionWeights),
            _ => throw new PathException($"--models {model}: expected one or more of {string.Join(", ", AttributionModels.All)}"),
        };
    }

    /// <summary>
    /// The <c>--compare</c> pivot: one row per channel with its conversions under each model of <paramref name="rows"/>
    /// (columns <c>channel</c>, then <c>&lt;model&gt;_conversions</c> in model order), channels ordered as under the
    /// first model (conversions descending, then name).
    /// </summary>
    public static ReportTable Compare(IReadOnlyList<AttributionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var models = rows.Select(r => r.Model).Distinct().ToList();
        var channels = rows.Where(r => r.Model == models.FirstOrDefault()).Select(r => r.Channel).ToList();
        foreach (var channel in rows.Select(r => r.Channel).Distinct().Where(c => !channels.Contains(c)).Order(StringComparer.Ordinal))
        {
            channels.Add(channel);
        }

        var cells = rows.ToDictionary(r => (r.Model, r.Channel));
        return new ReportTable(
            ["channel", .. models.Select(m => m + "_conversions")],
            [.. channels.Select(c => new object?[] { c }.Concat(models.Select(m => (object?)(cells.TryGetValue((m, c), out var row) ? AttributionRow.Round(row.Conversions) : 0.0))).ToArray())]);
    }
}
