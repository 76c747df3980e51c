using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// A channel's effect known in advance (e.g. planted by the demo generator): per person, the share of each of the
/// person's conversions that would not have happened without the channel (0 when the channel did nothing for them).
/// </summary>
/// <param name="Channel">The channel, as the attribution rows name it.</param>
/// <param name="PersonShare">Per person of the event columns, in their order: a share in [0, 1].</param>
/// <param name="Rule">How the share was set, in a sentence for the reader.</param>
public sealed record PlantedEffect(string Channel, double[] PersonShare, string Rule);

/// <summary>One row of <c>pretzel attribution --evaluate</c>: a model's credit for a channel against the channel's planted effect.</summary>
public sealed record EvaluationRow(string Model, string Channel, double? Planted, double? Attributed, double Error, double? ErrorShare)
{
    /// <summary>The channel name of each model's summary row: the mean absolute error over the planted channels.</summary>
    public const string MeanAbsoluteError = "(mean absolute error)";

    public static IReadOnlyList<string> Columns { get; } = ["model", "channel", "planted_conversions", "attributed_conversions", "error", "error_share"];

    public object?[] Values() =>
        [Model, Channel, AttributionRow.Round(Planted), AttributionRow.Round(Attributed), AttributionRow.Round(Error), AttributionRow.Round(ErrorShare)];
}

/// <summary>
/// Compares each model's credits with channel effects known in advance. A channel's planted conversions are
/// Σ over people of (the person's conversions in the analysis) × (the person's planted share): the conversions that
/// would be lost without the channel, i.e. its incremental conversions. A model's error for the channel is its
/// attributed conversions minus that; the error share divides by all conversions. Each model ends with a row giving
/// the mean absolute error (and error share) over the planted channels, so models can be ranked by it.
/// </summary>
public static class AttributionEvaluation
{
    /// <summary>
    /// Per person of <paramref name="columns"/>: the conversions the analysis counts (conversion events at or before
    /// <see cref="PathOptions.To"/>; each ends one journey).
    /// </summary>
    public static long[] ConversionsPerPerson(EventColumns columns, PathOptions paths)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(paths);
        var to = EventTime.ToMicros(paths.To);
        var isConversion = new bool[columns.Event.Labels.Length];
        foreach (var name in paths.ConversionEvents)
        {
            if (columns.Event.CodeOf(name) is >= 0 and var code)
            {
                isConversion[code] = true;
            }
        }

        var counts = new long[columns.PersonCount];
        var codes = columns.Event.Codes;
        for (var p = 0; p < columns.PersonCount; p++)
        {
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1]; i++)
            {
                if (columns.Micros[i] <= to && codes[i] >= 0 && isConversion[codes[i]])
                {
                    counts[p]++;
                }
            }
        }

        return counts;
    }

    /// <summary>The evaluation rows: per model of <paramref name="rows"/> (in their order), one row per planted channel, then the model's mean absolute error.</summary>
    public static IReadOnlyList<EvaluationRow> Evaluate(IReadOnlyList<AttributionRow> rows, IReadOnlyList<PlantedEffect> planted, long[] conversionsPerPerson)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(planted);
        ArgumentNullException.ThrowIfNull(conversionsPerPerson);
        if (planted.Count == 0)
        {
            throw new ArgumentException("No planted effects to evaluate against.", nameof(planted));
        }

        var total = (double)conversionsPerPerson.Sum();
        var truth = new double[planted.Count];
        for (var c = 0; c < planted.Count; c++)
        {
            var share = planted[c].PersonShare;
            if (share.Length != conversionsPerPerson.Length)
            {
                throw new ArgumentException($"Planted effect of {planted[c].Channel}: {share.Length} people, the columns have {conversionsPerPerson.Length}.", nameof(planted));
            }

            for (var p = 0; p < share.Length; p++)
            {
                truth[c] += share[p] * conversionsPerPerson[p];
            }
        }

        var credits = rows.ToDictionary(r => (r.Model, r.Channel), r => r.Conversions);
        var result = new List<EvaluationRow>();
        foreach (var model in rows.Select(r => r.Model).Distinct())
        {
            double sumError = 0;
            for (var c = 0; c < planted.Count; c++)
            {
                var attributed = credits.GetValueOrDefault((model, planted[c].Channel));
                var error = attributed - truth[c];
                sumError += Math.Abs(error);
                result.Add(new EvaluationRow(model, planted[c].Channel, truth[c], attributed, error, total > 0 ? error / total : null));
            }

            var mean = sumError / planted.Count;
            result.Add(new EvaluationRow(model, EvaluationRow.MeanAbsoluteError, null, null, mean, total > 0 ? mean / total : null));
        }

        return result;
    }
}
