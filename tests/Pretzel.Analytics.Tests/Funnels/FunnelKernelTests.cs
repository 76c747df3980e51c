using CsCheck;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Funnels;

/// <summary>
/// The fast kernel over person-sorted columns against the reference, on random event streams and random
/// funnels in every mode: ties in time, repeated step events, people entering twice, window and step
/// window boundaries, exclusions, open funnels, breakdowns, journeys, the end of the analysis.
/// </summary>
public sealed class FunnelKernelTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["a", "b", "c", "d", "x"];
    private static readonly string?[] Channels = [null, "email", "paid_search", "direct"];
    private static readonly string[] Types = ["track", "page"];

    // Times on a coarse grid (hours) so that ties and exact window boundaries are common.
    private static readonly Gen<(int Name, int Hours, int Channel, int Type)> GenEvent =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 200], Gen.Int[0, 3], Gen.Int[0, 9]);

    private static readonly Gen<List<PersonJourney>> GenPeople =
        GenEvent.Array[0, 16].Array[0, 30].Select(people => people.Select((events, p) => new PersonJourney(
            "p" + p.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
            [.. events.Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Hours)), $"m{i:D3}", Types[e.Type == 0 ? 1 : 0],
                    Names[e.Name], Channels[e.Channel], e.Channel == 1 ? "newsletter" : null, null, e.Channel == 2 ? "spring" : null))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<FunnelOptions> GenOptions =
        Gen.Select(Gen.Int[2, 4], Gen.Int[0, 2], Gen.Int[1, 120], Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 6], Gen.Int[0, 40], Gen.Int[0, 250])
            .Select((steps, order, windowHours, open, exclude, by, stepWindowHours, toHours) =>
            {
                var funnelOrder = (FunnelOrder)order;
                var any = funnelOrder == FunnelOrder.Any;
                string[] byFields = ["", "channel", "type", "source", "campaign", "first_touch", "last_touch"];
                var byField = byFields[by] is "" ? null : byFields[by];
                if (any && byField is not (null or "first_touch" or "last_touch"))
                {
                    byField = null;
                }

                var names = Names.Take(steps).ToList();
                if (windowHours % 7 == 0)
                {
                    // A step with field conditions, not just an event name.
                    names[steps - 1] = $"event={names[steps - 1]}&channel=email";
                }

                var options = new FunnelOptions
                {
                    Steps = [.. names.Select(FunnelStep.Parse)],
                    Window = TimeSpan.FromHours(windowHours),
                    Order = funnelOrder,
                    Open = !any && open,
                    Exclude = any || exclude == 0 ? null : FunnelStep.Parse("x"),
                    ExcludeFrom = exclude == 2 ? 2 : 1,
                    ExcludeTo = exclude == 3 || steps == 2 ? null : steps - 1,
                    StepWindows = any || stepWindowHours == 0 ? new Dictionary<int, TimeSpan>() : new Dictionary<int, TimeSpan> { [2] = TimeSpan.FromHours(stepWindowHours) },
                    By = byField,
                    To = T0.AddHours(toHours),
                };
                if (options.Exclude is not null && options.ExcludeFrom >= (options.ExcludeTo ?? steps))
                {
                    options = options with { ExcludeFrom = 1 };
                }

                return options;
            });

    [Fact]
    public void The_kernel_gives_the_reference_rows_for_every_mode()
    {
        Gen.Select(GenPeople, GenOptions, Gen.Bool).Sample((people, options, journeys) =>
        {
            var o = options.Order == FunnelOrder.Any || !journeys ? options : options with { Count = FunnelCount.Journeys };
            var expected = FunnelReference.Compute(people, o);
            var actual = FunnelKernel.Compute(JourneyColumns.FromJourneys(people), o);
            Assert.Equal(expected, actual);
        }, iter: 2000);
    }

    [Fact]
    public void The_kernel_lists_the_reference_people_for_every_step_and_status()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
        {
            var kernel = new FunnelKernel(JourneyColumns.FromJourneys(people), options);
            for (var step = 1; step <= options.Steps.Count; step++)
            {
                foreach (var status in Enum.GetValues<FunnelStatus>())
                {
                    var expected = FunnelReference.People(people, options, step, status).Select(p => p.PersonId);
                    var actual = kernel.People(step, status).Select(p => people[p].PersonId);
                    Assert.Equal(expected, actual);
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void Many_people_across_parallel_ranges_add_up_as_one()
    {
        // More people than one parallel range holds, so counts from several threads are merged.
        GenPeople.Sample(people =>
        {
            var many = Enumerable.Range(0, 400).SelectMany(r => people.Select(p => p with { PersonId = $"{r:D4}{p.PersonId}" })).ToList();
            var options = new FunnelOptions { Steps = [.. "a,b,c".Split(',').Select(FunnelStep.Parse)], Window = TimeSpan.FromDays(3), To = T0.AddDays(30), Open = true, By = "channel" };
            Assert.Equal(FunnelReference.Compute(many, options), FunnelKernel.Compute(JourneyColumns.FromJourneys(many), options));
        }, iter: 5);
    }

    [Fact]
    public void A_step_value_no_event_has_matches_nothing()
    {
        var people = new List<PersonJourney> { FunnelReferenceTests.P("p1", ("a", 0), ("b", 1)) };
        var options = new FunnelOptions { Steps = [FunnelStep.Parse("a"), FunnelStep.Parse("channel=nowhere")], To = T0.AddDays(30) };
        var rows = FunnelKernel.Compute(JourneyColumns.FromJourneys(people), options);
        Assert.Equal([1L, 0], rows.Select(r => r.Entered));
    }

    [Fact]
    public void Columns_round_trip_to_the_same_journeys()
    {
        GenPeople.Sample(people =>
        {
            var back = JourneyColumns.ToJourneys(JourneyColumns.FromJourneys(people), null);
            var nonEmpty = people.Where(p => p.Events.Count > 0).ToList();
            Assert.Equal(nonEmpty.Select(p => p.PersonId), back.Select(p => p.PersonId));
            Assert.Equal(nonEmpty.SelectMany(p => p.Events.Select(e => e with { MessageId = "" })),
                back.SelectMany(p => p.Events.Select(e => e with { MessageId = "" })));
        }, iter: 200);
    }
}
