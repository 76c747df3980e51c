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

/// <summary>Property conditions: the C# rule on its own, and the kernel with the bits a store would give against the reference.</summary>
public sealed class FunnelPropertyConditionTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("plan=pro", """{"plan":"pro"}""", true)]
    [InlineData("plan=pro", """{"plan":"free"}""", false)]
    [InlineData("plan=pro", """{}""", false)]
    [InlineData("plan!=pro", """{"plan":"free"}""", true)]
    [InlineData("plan!=pro", """{}""", false)]
    [InlineData("plan!=pro", """{"plan":null}""", false)]
    [InlineData("amount=5", """{"amount":5.0}""", true)]
    [InlineData("amount=5", """{"amount":"5"}""", true)]
    [InlineData("amount>=100", """{"amount":99.5}""", false)]
    [InlineData("amount>=100", """{"amount":100}""", true)]
    [InlineData("amount>=100", """{"amount":"lots"}""", false)]
    [InlineData("amount<0", """{"amount":-1e2}""", true)]
    [InlineData("vip=true", """{"vip":true}""", true)]
    [InlineData("vip=true", """{"vip":"true"}""", true)]
    [InlineData("cart=x", """{"cart":{"x":1}}""", false)]
    [InlineData("cart!=x", """{"cart":[1]}""", false)]
    [InlineData("name=Zoë \"Z\"", """{"name":"Zo\u00eb \"Z\""}""", true)]
    public void A_property_condition_reads_the_property_as_documented(string condition, string properties, bool expected)
    {
        var step = FunnelStep.Parse("properties." + condition);
        Assert.Equal(expected, step.Properties.Single().Matches(properties));
        Assert.Equal(expected, step.Matches(new JourneyEvent(0, "m", "track", "e", null, null, null, null, properties)));
    }

    [Theory]
    [InlineData("purchase&properties.amount>lots", "not a number")]
    [InlineData("purchase&properties.a-b=1", "letters, digits")]
    [InlineData("purchase&colour=red", "not FIELD=VALUE")]
    [InlineData("purchase&channel>x", "not FIELD=VALUE")]
    public void A_bad_property_condition_is_refused_naming_it(string step, string message)
    {
        var ex = Assert.Throws<FunnelException>(() => FunnelStep.Parse(step));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_with_property_conditions_needs_the_store_to_evaluate_them()
    {
        var options = new FunnelOptions { Steps = [FunnelStep.Parse("a"), FunnelStep.Parse("b&properties.plan=pro")], To = T0 };
        Assert.Throws<InvalidOperationException>(() => FunnelKernel.Compute(JourneyColumns.FromJourneys([]), options));
    }

    /// <summary>The bits a store gives for each step (and the exclusion, last), computed with the C# rule.</summary>
    internal static List<System.Collections.BitArray?> Bits(IReadOnlyList<PersonJourney> people, FunnelOptions options)
    {
        var events = people.SelectMany(p => p.Events).ToList();
        return [.. options.Steps.Append(options.Exclude).Select(step => step is not { Properties.Count: > 0 } ? null
            : new System.Collections.BitArray([.. events.Select(e => step.Properties.All(c => c.Matches(e.Properties)))]))];
    }

    [Fact]
    public void The_kernel_with_property_bits_gives_the_reference_rows()
    {
        string[] plans = ["\"pro\"", "\"free\"", "null", "5", "\"5\"", "{\"x\":1}"];
        var genPeople = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 100], Gen.Int[0, 5], Gen.Int[0, 200]).Array[0, 12].Array[0, 25]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p, [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Item2)), $"m{i:D3}", "track", "abcx"[e.Item1].ToString(),
                    null, null, null, null, e.Item3 == 2 ? "{}" : $"{{\"plan\":{plans[e.Item3]},\"amount\":{e.Item4}}}"))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());
        string[][] funnels =
        [
            ["a", "b&properties.plan=pro", "c"],
            ["properties.amount>=100", "b", "c&properties.plan!=free"],
            ["a&properties.plan=5", "properties.amount<50"],
        ];
        Gen.Select(genPeople, Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool).Sample((people, f, order, exclude) =>
        {
            var options = new FunnelOptions
            {
                Steps = [.. funnels[f].Select(FunnelStep.Parse)],
                Window = TimeSpan.FromHours(48),
                Order = (FunnelOrder)order,
                Exclude = exclude && order != 2 ? FunnelStep.Parse("x&properties.amount>150") : null,
                To = T0.AddHours(90),
            };
            var expected = FunnelReference.Compute(people, options);
            var actual = new FunnelKernel(JourneyColumns.FromJourneys(people), options, Bits(people, options)).Rows();
            Assert.Equal(expected, actual);
        }, iter: 500);
    }
}
