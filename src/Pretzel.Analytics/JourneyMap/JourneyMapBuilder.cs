using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.JourneyMap;

/// <summary>Builds a <see cref="JourneyMap"/>: the stage report's numbers (<see cref="StageAnalysis"/>) beside <see cref="JourneyTouches"/>.</summary>
public static class JourneyMapBuilder
{
    /// <summary>Top touchpoints shown per stage by default.</summary>
    public const int DefaultTop = 5;

    public static JourneyMap Build(IReadOnlyList<PersonJourney> people, StageModel model, TouchpointKind kind, int top = DefaultTop)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var rows = StageAnalysis.Compute(people, model);
        var touches = JourneyTouches.Compute(people, model, kind);
        var stages = new List<JourneyMapStage>();
        for (var k = 0; k < model.Stages.Count; k++)
        {
            var row = rows[k];
            stages.Add(new JourneyMapStage(row.Index, row.Stage, row.Reached, row.Current,
                k + 1 < model.Stages.Count ? rows[k + 1].ConversionFromPrevious : null,
                row.MedianSecondsInStage is { } seconds ? Math.Round(seconds / 86_400, 2) : null, touches[k]));
        }

        var columns = stages.SelectMany(s => s.Touchpoints.Take(top)).GroupBy(t => t.Touchpoint, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, People: stages.Sum(s => s.Touchpoints.FirstOrDefault(t => t.Touchpoint == g.Key)?.People ?? 0)))
            .OrderByDescending(c => c.People).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => c.Name).ToList();
        return new JourneyMap(model.Name, kind, top, stages, columns);
    }
}
