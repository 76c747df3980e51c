using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Shapes;
using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.JourneyMap;

/// <summary>
/// The touchpoints used at each stage. Each person's events are placed in stream order as <see cref="StageAnalysis"/>
/// places them (<see cref="StagePlacement"/>), and an event with a touchpoint counts for the furthest stage the person
/// has reached once it happened (its own stage when it takes them further). Progress, not the latest stage: a
/// customer opening a newsletter is touched at the deal stage, though the email open alone would place them at
/// no_problem (which is what <c>current</c>, the latest stage, reports). Events before the first placed one count
/// nowhere; exit events leave the stage as it was.
/// </summary>
public static class JourneyTouches
{
    /// <summary>Per stage, every touchpoint used in it: most people first, then most events, then by name (ordinal).</summary>
    public static IReadOnlyList<IReadOnlyList<TouchpointCount>> Compute(IEnumerable<PersonJourney> people, StageModel model, TouchpointKind kind)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        var n = model.Stages.Count;
        var counts = Enumerable.Range(0, n).Select(_ => new Dictionary<string, (long People, long Events)>(StringComparer.Ordinal)).ToArray();
        var placement = new StagePlacement(model);
        var seen = new HashSet<(int, string)>();
        foreach (var person in people)
        {
            placement.Reset();
            seen.Clear();
            var stage = StagePlacement.NoStage;
            foreach (var e in person.Events)
            {
                var placed = placement.Place(e);
                stage = Math.Max(stage, placed);

                var touch = kind == TouchpointKind.Channel ? e.Channel : e.Name;
                if (stage < 0 || touch is null)
                {
                    continue;
                }

                var (p, events) = counts[stage].GetValueOrDefault(touch);
                counts[stage][touch] = (p + (seen.Add((stage, touch)) ? 1 : 0), events + 1);
            }
        }

        return [.. counts.Select(c => (IReadOnlyList<TouchpointCount>)[.. c
            .Select(x => new TouchpointCount(x.Key, x.Value.People, x.Value.Events))
            .OrderByDescending(t => t.People).ThenByDescending(t => t.Events).ThenBy(t => t.Touchpoint, StringComparer.Ordinal)])];
    }
}
