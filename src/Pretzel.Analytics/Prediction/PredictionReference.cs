using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Journey features computed the plain way over one person's events, the oracle <see cref="FeatureKernel"/> (and the
/// next-best-touch shortcut of <see cref="ProspectScorer"/>) are tested against. docs/analyses/prediction.md states the rules.
/// </summary>
public static class PredictionReference
{
    /// <summary>
    /// The features of <paramref name="person"/>'s journey at <paramref name="moment"/> (microseconds), and whether it
    /// converted within the horizon after it; null when the journey is not open then. With <paramref name="extraTouch"/>,
    /// as if one more touch of that name happened at the moment (changing no stage).
    /// </summary>
    public static (float[] Features, bool Label)? Features(PersonJourney person, long moment, PredictionOptions options, FeatureLayout layout, string? extraTouch = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layout);
        var conversions = person.Events.Where(e => e.Name is not null && options.ConversionEvents.Contains(e.Name)).Select(e => e.Micros).ToList();
        var firstConversion = conversions.Count == 0 ? long.MaxValue : conversions.Min();
        if (firstConversion <= moment)
        {
            return null;
        }

        var stageOf = Stages(person, options.Stages);
        var events = person.Events.Select((e, i) => (Event: e, Stage: stageOf[i])).Where(x => x.Event.Micros <= moment).ToList();
        var times = events.Select(x => x.Event.Micros).ToList();
        var touches = events.Select(x => (Touch: PathReference.TouchOf(x.Event, options.Touch), x.Event.Micros)).Where(x => x.Touch is not null).Select(x => (Touch: x.Touch!, x.Micros)).ToList();
        if (touches.Count == 0 || touches[^1].Micros < moment - (options.Lookback.Ticks / 10))
        {
            return null;
        }

        if (extraTouch is not null)
        {
            times.Add(moment);
            touches.Add((extraTouch, moment));
        }

        var gap = PredictionOptions.SessionGap.Ticks / 10;
        var index = touches.Select(t => layout.Touches.Take(layout.Touches.Count - 1).Contains(t.Touch) ? layout.Touches.ToList().IndexOf(t.Touch) : layout.Touches.Count - 1).ToList();
        var x = new float[layout.Length];
        x[FeatureLayout.TouchCount] = touches.Count;
        x[FeatureLayout.EventCount] = times.Count;
        x[FeatureLayout.SessionCount] = times.Where((t, i) => i == 0 || t - times[i - 1] > gap).Count();
        x[FeatureLayout.DaysSinceFirstTouch] = (float)((moment - touches[0].Micros) / 86_400_000_000.0);
        x[FeatureLayout.DaysSinceLastTouch] = (float)((moment - touches[^1].Micros) / 86_400_000_000.0);
        x[FeatureLayout.StageReached] = events.Count == 0 ? 0 : events.Max(e => e.Stage.Stage);
        x[FeatureLayout.Refused] = events.Any(e => e.Stage.Exit) ? 1 : 0;
        x[FeatureLayout.DistinctTouches] = index.Distinct().Count();
        foreach (var t in index)
        {
            x[layout.Count(t)]++;
        }

        x[layout.Last(index[^1])] = 1;
        x[layout.First(index[0])] = 1;
        for (var i = 1; i < index.Count; i++)
        {
            if (layout.Pair(index[i - 1], index[i]) is >= 0 and var f)
            {
                x[f]++;
            }
        }

        return (x, firstConversion <= moment + (options.Horizon.Ticks / 10));
    }

    /// <summary>Per event: the highest stage (1-based) whose rules it meets, counting <c>first</c>/<c>repeat</c> per rule over the person's events in order, and whether it meets the exit.</summary>
    public static (int Stage, bool Exit)[] Stages(PersonJourney person, StageModel model)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(model);
        var result = new (int Stage, bool Exit)[person.Events.Count];
        var all = model.Stages.Select((s, i) => (Stage: s, Position: i + 1)).Append((Stage: model.Exit!, Position: -1)).Where(x => x.Stage is not null);
        foreach (var (stage, position) in all)
        {
            foreach (var rule in stage.Rules)
            {
                var seen = 0;
                for (var i = 0; i < person.Events.Count; i++)
                {
                    if (!rule.MatchesFields(person.Events[i]))
                    {
                        continue;
                    }

                    var hit = rule.Occurrence is null || (rule.Occurrence == "first" && seen == 0) || (rule.Occurrence == "repeat" && seen > 0);
                    seen++;
                    if (hit && position < 0)
                    {
                        result[i].Exit = true;
                    }
                    else if (hit)
                    {
                        result[i].Stage = Math.Max(result[i].Stage, position);
                    }
                }
            }
        }

        return result;
    }
}
