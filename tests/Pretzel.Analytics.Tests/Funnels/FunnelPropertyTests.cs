using CsCheck;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;

namespace Pretzel.Analytics.Tests.Funnels;

/// <summary>
/// The reference against a second, independent way of computing the plain ordered funnel: with one
/// window and no exclusions, taking the earliest event of each next step is optimal, so a greedy scan
/// from each first-step event must find the same level.
/// </summary>
public sealed class FunnelPropertyTests
{
    private static readonly string[] Names = ["a", "b", "c", "d", "x"];

    private static readonly Gen<PersonJourney> GenPerson =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 300]).Array[0, 14].Select(events => FunnelReferenceTests.P(
            "p", [.. events.Select(e => (Names[e.Item1], e.Item2 * 1.5))]));

    private static int GreedyLevel(PersonJourney person, FunnelOptions options)
    {
        var window = options.Window.Ticks / 10;
        var best = -1;
        var events = person.Events;
        for (var i = 0; i < events.Count; i++)
        {
            if (!options.Steps[0].Matches(events[i]))
            {
                continue;
            }

            var level = 0;
            var last = events[i].Micros;
            var at = i;
            for (var k = 1; k < options.Steps.Count; k++)
            {
                var next = -1;
                for (var m = at + 1; m < events.Count; m++)
                {
                    if (events[m].Micros > last && events[m].Micros <= events[i].Micros + window && options.Steps[k].Matches(events[m]))
                    {
                        next = m;
                        break;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                level = k;
                last = events[next].Micros;
                at = next;
            }

            best = Math.Max(best, level);
        }

        return best;
    }

    [Fact]
    public void Reference_equals_a_greedy_scan_for_plain_ordered_funnels()
    {
        Gen.Select(GenPerson.Array[0, 25], Gen.Int[2, 4], Gen.Int[1, 200]).Sample((people, steps, windowHours) =>
        {
            var options = FunnelReferenceTests.Steps(string.Join(',', Names.Take(steps)), o => o with { Window = TimeSpan.FromHours(windowHours) });
            var people2 = people.Select((p, i) => p with { PersonId = "p" + i }).ToList();
            var rows = FunnelReference.Compute(people2, options);
            var levels = people2.Select(p => GreedyLevel(p, options)).ToList();
            for (var k = 0; k < steps; k++)
            {
                Assert.Equal(levels.Count(l => l >= k), rows[k].Entered);
            }
        }, iter: 300);
    }

    [Fact]
    public void Entered_never_grows_down_a_closed_funnel_and_dropped_plus_waiting_plus_next_is_entered()
    {
        Gen.Select(GenPerson.Array[0, 25], Gen.Int[2, 4], Gen.Bool, Gen.Bool).Sample((people, steps, strict, exclude) =>
        {
            var options = FunnelReferenceTests.Steps(string.Join(',', Names.Take(steps)), o => o with
            {
                Order = strict ? FunnelOrder.Strict : FunnelOrder.Ordered,
                Exclude = exclude ? FunnelStep.Parse("x") : null,
                To = new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc),
            });
            var rows = FunnelReference.Compute(people.Select((p, i) => p with { PersonId = "p" + i }), options);
            for (var k = 0; k + 1 < steps; k++)
            {
                Assert.True(rows[k + 1].Entered <= rows[k].Entered);
                Assert.Equal(rows[k].Entered, rows[k].Dropped!.Value + rows[k].StillInWindow!.Value + rows[k + 1].Entered);
            }
        }, iter: 300);
    }

    [Fact]
    public void The_people_listed_per_status_are_the_people_counted_in_the_rows()
    {
        Gen.Select(GenPerson.Array[0, 20], Gen.Int[2, 4], Gen.Bool).Sample((people, steps, open) =>
        {
            var options = FunnelReferenceTests.Steps(string.Join(',', Names.Take(steps)), o => o with
            {
                Open = open,
                To = new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc),
            });
            var named = people.Select((p, i) => p with { PersonId = "p" + i }).ToList();
            var rows = FunnelReference.Compute(named, options);
            for (var k = 1; k <= steps; k++)
            {
                var converted = FunnelReference.People(named, options, k, FunnelStatus.Converted).Count;
                var dropped = FunnelReference.People(named, options, k, FunnelStatus.Dropped).Count;
                var waiting = FunnelReference.People(named, options, k, FunnelStatus.InWindow).Count;
                Assert.Equal(rows[k - 1].Entered, converted + dropped + waiting);
                if (k < steps)
                {
                    Assert.Equal(rows[k - 1].Dropped, dropped);
                    Assert.Equal(rows[k - 1].StillInWindow, waiting);
                }
            }
        }, iter: 200);
    }

    [Fact]
    public void A_breakdown_splits_every_count_without_losing_anyone()
    {
        var channels = new[] { null, "email", "paid_search" };
        Gen.Select(GenPerson.Array[0, 20], Gen.Int[2, 4], Gen.Int[0, 2].Array[14], Gen.Bool).Sample((people, steps, channelOf, open) =>
        {
            // Give events channels, so the breakdown has groups.
            var named = people.Select((p, i) => p with
            {
                PersonId = "p" + i,
                Events = [.. p.Events.Select((e, j) => e with { Channel = channels[channelOf[j % channelOf.Length]] })],
            }).ToList();
            foreach (var by in (string[])["channel", "first_touch", "last_touch"])
            {
                var options = FunnelReferenceTests.Steps(string.Join(',', Names.Take(steps)), o => o with { Open = open, By = by });
                var all = FunnelReference.Compute(named, options with { By = null });
                var split = FunnelReference.Compute(named, options);
                Assert.All(split, r => Assert.NotNull(r.Group));
                for (var k = 0; k < steps; k++)
                {
                    Assert.Equal(all[k].Entered, split.Where(r => r.Step == k + 1).Sum(r => r.Entered));
                    Assert.Equal(all[k].Dropped ?? 0, split.Where(r => r.Step == k + 1).Sum(r => r.Dropped ?? 0));
                }
            }
        }, iter: 150);
    }
}
