using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Shapes;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Shapes;

/// <summary>
/// Random people against a deliberately plain second implementation (placement by re-counting earlier
/// events, traits by scanning the whole list), the placement against <see cref="StageAnalysis"/>, and
/// breakdown groups that add up to <c>all</c>.
/// </summary>
public sealed class ShapePropertyTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Names = ["visit", "learn", "trial", "buy", "refused", "other", null];
    private static readonly string?[] Channels = [null, "email", "search", "social"];

    // Overlapping rules, a channel rule, occurrence rules and an exit with two conditions.
    private static readonly StageModel Overlapping = StageModelFile.Parse("""
        name: overlap
        stages:
          - name: touch
            match:
              - channel: search
              - event: visit
          - name: learn
            match:
              - event: [learn, trial]
          - name: trial
            match:
              - event: trial
                occurrence: first
          - name: buy
            match:
              - event: buy
                occurrence: first
          - name: again
            match:
              - event: buy
                occurrence: repeat
              - event: trial
                occurrence: repeat
        exit:
          name: refusal
          match:
            - event: refused
              channel: email
        """, "overlap.yaml");

    private static readonly StageModel[] Models = [Overlapping, ShapeAnalysisTests.Model];

    // Times on a coarse grid (hours) so that ties and exact gaps are common.
    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, 300], Gen.Int[0, Channels.Length - 1], Gen.Bool).Array[0, 14].Array[0, 25]
            .Select(people => people.Select((events, p) => new PersonJourney(
                "p" + p.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
                [.. events.Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Item2)), $"m{i:D3}", e.Item4 ? "page" : "track", Names[e.Item1], Channels[e.Item3], null, null, null))
                    .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<(StageModel Model, TimeSpan Gap, DateTime? To)> GenSettings =
        Gen.Select(Gen.Int[0, Models.Length - 1], Gen.Int[1, 120], Gen.Int[0, 320])
            .Select((m, gapHours, toHours) => (Models[m], TimeSpan.FromHours(gapHours), toHours > 300 ? (DateTime?)null : T0.AddHours(toHours)));

    [Fact]
    public void The_traits_are_those_of_the_plain_implementation()
    {
        Gen.Select(GenPeople, GenSettings).Sample((people, settings) =>
        {
            var expected = people.Select(p => Plain(p, settings.Model, settings.Gap, settings.To)).OfType<JourneyShape>().ToList();
            var actual = ShapeAnalysis.Classify(people, settings.Model, settings.Gap, settings.To);
            Assert.Equal(expected, actual);
            foreach (var shape in actual)
            {
                // Linear is exactly "neither a skip nor a step back" (a mid-funnel entry is a skip).
                Assert.Equal((shape.Traits & ShapeTraits.Linear) != 0, (shape.Traits & (ShapeTraits.Skips | ShapeTraits.GoesBack)) == 0);
                Assert.True((shape.Traits & ShapeTraits.EntersMidFunnel) == 0 || (shape.Traits & ShapeTraits.Skips) != 0);
            }
        }, iter: 2000);
    }

    [Fact]
    public void The_placement_reaches_the_stages_StageAnalysis_reaches()
    {
        Gen.Select(GenPeople, Gen.Int[0, Models.Length - 1]).Sample((people, m) =>
        {
            var model = Models[m];
            var n = model.Stages.Count;
            var reached = new long[n];
            var current = new long[n];
            var placement = new StagePlacement(model);
            foreach (var person in people)
            {
                placement.Reset();
                var stages = person.Events.Select(placement.Place).ToList();
                Assert.Equal(PlainPlacement(person.Events, model), stages);
                var placed = stages.Where(s => s >= 0).ToList();
                foreach (var k in placed.Distinct())
                {
                    reached[k]++;
                }

                if (placed.Count > 0)
                {
                    current[placed[^1]]++;
                }
            }

            var rows = StageAnalysis.Compute(people, model);
            Assert.Equal(rows.Take(n).Select(r => r.Reached), reached);
            Assert.Equal(rows.Take(n).Select(r => r.Current), current);
        }, iter: 1000);
    }

    [Fact]
    public void Groups_add_up_to_all()
    {
        Gen.Select(GenPeople, GenSettings).Sample((people, settings) =>
        {
            var options = new ShapeOptions { Model = settings.Model, Gap = settings.Gap, To = settings.To };
            var byTouch = ShapeAnalysis.Compute(people, options with { By = "first_touch" });
            var all = Assert.Single(ShapeAnalysis.Compute(people, options));
            Assert.Equal(all, byTouch[^1]);
            Assert.Equal("all", all.Group);
            var groups = byTouch.Take(byTouch.Count - 1).ToList();
            Assert.Equal(all.Journeys, groups.Sum(g => g.Journeys));
            Assert.Equal(groups.OrderByDescending(g => g.Journeys).ThenBy(g => g.Group, StringComparer.Ordinal), groups);
            Assert.All(groups, g => Assert.True(g.Journeys > 0));

            // Each trait's journeys, counted back from the shares, add up too.
            for (var c = 2; c < ShapeRow.Columns.Count; c++)
            {
                static long Count(ShapeRow r, int c) => r.Journeys == 0 ? 0 : (long)Math.Round((double)r.Values()[c]! * r.Journeys);
                Assert.Equal(Count(all, c), groups.Sum(g => Count(g, c)));
            }

            // And match the plain implementation's journeys.
            var plain = people.Select(p => Plain(p, settings.Model, settings.Gap, settings.To)).OfType<JourneyShape>().ToList();
            Assert.Equal(plain.Count, all.Journeys);
            Assert.Equal(plain.GroupBy(s => s.FirstTouch).Select(g => (g.Key, (long)g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal),
                groups.Select(g => (g.Group, g.Journeys)).OrderBy(g => g.Group, StringComparer.Ordinal));
            if (plain.Count > 0)
            {
                Assert.Equal(Math.Round(plain.Count(s => (s.Traits & ShapeTraits.Linear) == 0) / (double)plain.Count, 6), all.PretzelIndex);
            }
        }, iter: 1000);
    }

    // ---- The plain implementation: whole-list scans, no state carried along. ----

    // Each event's stage: exit (-2), none (-1) or the furthest stage with a rule that matches, where an
    // occurrence rule counts this person's earlier events, other than exits, that match its fields.
    private static List<int> PlainPlacement(IReadOnlyList<JourneyEvent> events, StageModel model)
    {
        bool IsExit(JourneyEvent e) => model.Exit is not null && model.Exit.Rules.Any(r => r.MatchesFields(e));
        var result = new List<int>();
        for (var i = 0; i < events.Count; i++)
        {
            if (IsExit(events[i]))
            {
                result.Add(-2);
                continue;
            }

            var stage = -1;
            for (var k = 0; k < model.Stages.Count; k++)
            {
                foreach (var rule in model.Stages[k].Rules)
                {
                    var earlier = events.Take(i).Count(e => !IsExit(e) && rule.MatchesFields(e));
                    var ok = rule.MatchesFields(events[i]) && rule.Occurrence switch
                    {
                        "first" => earlier == 0,
                        "repeat" => earlier > 0,
                        _ => true,
                    };
                    if (ok)
                    {
                        stage = k;
                    }
                }
            }

            result.Add(stage);
        }

        return result;
    }

    private static JourneyShape? Plain(PersonJourney person, StageModel model, TimeSpan gap, DateTime? to)
    {
        var events = person.Events.Where(e => to is null || e.Micros <= EventTime.ToMicros(to.Value)).ToList();
        var placement = PlainPlacement(events, model);
        var stageEvents = events.Where((e, i) => placement[i] >= 0).ToList();
        var stages = placement.Where(s => s >= 0).ToList();
        if (stages.Count == 0)
        {
            return null;
        }

        var traits = ShapeTraits.None;

        var linear = stages[0] == 0;
        for (var i = 1; i < stages.Count; i++)
        {
            if (stages[i] != stages[i - 1] && stages[i] != stages[i - 1] + 1)
            {
                linear = false;
            }
        }

        if (linear)
        {
            traits |= ShapeTraits.Linear;
        }

        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] > 0 && !stages.Take(i).Contains(stages[i] - 1))
            {
                traits |= ShapeTraits.Skips;
            }

            if (i > 0 && stages[i] < stages.Take(i).Max())
            {
                traits |= ShapeTraits.GoesBack;
            }
        }

        // A … B … A: a touchpoint, then a different one, then the first again.
        var touchpoints = stageEvents.Select(e => e.Channel ?? e.Name ?? e.Type).ToList();
        for (var i = 0; i < touchpoints.Count; i++)
        {
            for (var j = i + 1; j < touchpoints.Count; j++)
            {
                for (var k = j + 1; k < touchpoints.Count; k++)
                {
                    if (touchpoints[i] == touchpoints[k] && touchpoints[j] != touchpoints[i])
                    {
                        traits |= ShapeTraits.Loops;
                    }
                }
            }
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (TimeSpan.FromMicroseconds(events[i].Micros - events[i - 1].Micros) > gap)
            {
                traits |= ShapeTraits.ReturnsAfterGap;
            }
        }

        if (stages[0] != 0)
        {
            traits |= ShapeTraits.EntersMidFunnel;
        }

        if (placement.Contains(-2))
        {
            traits |= ShapeTraits.Refused;
        }

        return new JourneyShape(person.PersonId, traits, events.FirstOrDefault(e => e.Channel is not null)?.Channel ?? "(none)");
    }
}
