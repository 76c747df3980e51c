using System.Globalization;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.JourneyMap;

/// <summary>The rows of <c>pretzel journey-map</c>: one per stage.</summary>
public static class JourneyMapRows
{
    public static IReadOnlyList<string> Columns { get; } =
        ["index", "stage", "reached", "current", "conversion_to_next", "median_days_in_stage", "touchpoints", "gap"];

    /// <summary>
    /// <c>index, stage, reached, current, conversion_to_next, median_days_in_stage</c>, <c>touchpoints</c> (the stage's
    /// top touchpoints with their people, e.g. <c>email 120 · organic_search 80</c>) and <c>gap</c> (no touchpoint).
    /// </summary>
    public static ReportTable Table(JourneyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new ReportTable(Columns, [.. map.Stages.Select(s => new object?[]
        {
            s.Index, s.Stage, s.Reached, s.Current, s.ConversionToNext, s.MedianDaysInStage, Touchpoints(map, s), s.Gap,
        })]);
    }

    /// <summary>The stage's top touchpoints as text: name and people, separated by " · ".</summary>
    public static string Touchpoints(JourneyMap map, JourneyMapStage stage)
    {
        ArgumentNullException.ThrowIfNull(map);
        return string.Join(" · ", map.TopOf(stage).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Touchpoint} {t.People}")));
    }
}
