using Pretzel.Analytics.Journeys;

namespace Pretzel.Analytics.Stages;

/// <summary>
/// Puts every person's events through a stage model, in time order: an event belongs to the furthest
/// stage whose rule it matches (rules with <c>occurrence</c> count the person's earlier events of the
/// same rule). People enter at any stage, skip stages and go back; <see cref="StageRow"/> counts all of it.
/// </summary>
public static class StageAnalysis
{
    public static IReadOnlyList<StageRow> Compute(IEnumerable<PersonJourney> people, StageModel model)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        var n = model.Stages.Count;
        var reached = new long[n];
        var current = new long[n];
        var converted = new long[n];
        var skipped = new long[n];
        var regressed = new long[n];
        var refused = new long[n];
        long exited = 0;
        var durations = Enumerable.Range(0, n).Select(_ => new List<double>()).ToArray();
        var rules = model.Stages.Select(s => s.Rules).ToList();
        foreach (var person in people)
        {
            // (stage, time) of the person's stage events, in stream order; ties in time keep that order.
            var placed = new List<(int Stage, long Micros)>();
            var firstAt = new int[n];
            Array.Fill(firstAt, -1);
            var occurrences = new Dictionary<StageRule, int>(ReferenceEqualityComparer.Instance);
            var furthest = -1;
            var latest = -1;
            var didRegress = new bool[n];
            var didRefuse = new bool[n];
            var didExit = false;
            foreach (var e in person.Events)
            {
                if (model.Exit is { } exit && exit.Rules.Any(r => r.MatchesFields(e)))
                {
                    didExit = true;
                    if (latest >= 0)
                    {
                        didRefuse[latest] = true;
                    }

                    continue;
                }

                var stage = StageOf(e, rules, occurrences);
                if (stage < 0)
                {
                    continue;
                }

                if (firstAt[stage] < 0)
                {
                    firstAt[stage] = placed.Count;
                    if (stage > 0 && firstAt[stage - 1] < 0)
                    {
                        skipped[stage]++;
                    }
                }

                if (stage < furthest)
                {
                    didRegress[furthest] = true;
                }

                placed.Add((stage, e.Micros));
                furthest = Math.Max(furthest, stage);
                latest = stage;
            }

            if (didExit)
            {
                exited++;
            }

            if (latest < 0)
            {
                continue;
            }

            current[latest]++;
            for (var k = 0; k < n; k++)
            {
                if (firstAt[k] < 0)
                {
                    continue;
                }

                reached[k]++;
                regressed[k] += didRegress[k] ? 1 : 0;
                refused[k] += didRefuse[k] ? 1 : 0;
                var from = firstAt[k];

                // Converted: reached the next stage at any point after first reaching this one.
                if (k + 1 < n && placed.Skip(from + 1).Any(p => p.Stage == k + 1))
                {
                    converted[k + 1]++;
                }

                // Time in stage: until the first event of any later stage after first reaching this one.
                var moved = placed.Skip(from + 1).FirstOrDefault(p => p.Stage > k, (-1, 0));
                if (moved.Stage > k)
                {
                    durations[k].Add((moved.Micros - placed[from].Micros) / 1_000_000.0);
                }
            }
        }

        var rows = new List<StageRow>();
        for (var k = 0; k < n; k++)
        {
            rows.Add(new StageRow(k + 1, model.Stages[k].Name, reached[k], current[k],
                k == 0 || reached[k - 1] == 0 ? null : Math.Round((double)converted[k] / reached[k - 1], 6),
                Median(durations[k]), k == 0 ? 0 : skipped[k], regressed[k], refused[k]));
        }

        if (model.Exit is { } exitStage)
        {
            rows.Add(new StageRow(n + 1, exitStage.Name, exited, 0, null, null, null, null, null));
        }

        return rows;
    }

    // The furthest stage a rule of which matches; occurrence rules count this person's earlier matches.
    private static int StageOf(JourneyEvent e, List<IReadOnlyList<StageRule>> rules, Dictionary<StageRule, int> occurrences)
    {
        var stage = -1;
        for (var k = 0; k < rules.Count; k++)
        {
            foreach (var rule in rules[k])
            {
                if (!rule.MatchesFields(e))
                {
                    continue;
                }

                var seen = occurrences.GetValueOrDefault(rule);
                if (rule.Occurrence is not null)
                {
                    occurrences[rule] = seen + 1;
                }

                if (rule.Occurrence is null || (rule.Occurrence == "first" && seen == 0) || (rule.Occurrence == "repeat" && seen > 0))
                {
                    stage = k;
                }
            }
        }

        return stage;
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return values[(values.Count - 1) / 2];
    }
}
