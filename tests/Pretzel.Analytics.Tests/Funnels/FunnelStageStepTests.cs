using System.Collections;
using CsCheck;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Funnels;

/// <summary>Funnel steps that are stages of a model, with occurrences and property conditions: kernel against reference.</summary>
public sealed class FunnelStageStepTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly StageModel Model = StageModelFile.Parse("""
        name: shop
        stages:
          - name: look
            match:
              - event: [view, search]
              - channel: email
          - name: want
            match:
              - event: cart
                where: amount>=50
          - name: buy
            match:
              - event: purchase
                occurrence: first
          - name: again
            match:
              - event: purchase
                occurrence: repeat
        exit:
          name: gone
          match:
            - event: refund
              where: [reason!=late]
        """, "shop.yaml");

    private static readonly string[] Names = ["view", "search", "cart", "purchase", "refund", "other"];
    private static readonly string?[] Reasons = ["\"late\"", "\"broken\"", null];

    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 150], Gen.Int[0, 100], Gen.Int[0, 2], Gen.Bool).Array[0, 14].Array[0, 25]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p, [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Item2)), $"m{i:D3}", "track", Names[e.Item1],
                    e.Item5 ? "email" : null, null, null, null,
                    Reasons[e.Item4] is { } reason ? $"{{\"amount\":{e.Item3},\"reason\":{reason}}}" : $"{{\"amount\":{e.Item3}}}"))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    // The bits a store would give: stage steps through StageColumns, rule property conditions by the C# rule.
    private static List<BitArray?> Bits(List<PersonJourney> people, EventColumns columns, FunnelOptions options)
    {
        var events = people.SelectMany(p => p.Events).ToList();
        return [.. options.Steps.Append(options.Exclude).Select(step => step?.Stage is not { } stage ? null
            : StageColumns.Match(columns, stage, rule => new BitArray([.. events.Select(e => rule.Where!.All(c => c.Matches(e.Properties)))])))];
    }

    [Fact]
    public void Stage_steps_give_the_reference_rows()
    {
        string[][] funnels = [["look", "want", "buy"], ["buy", "again"], ["look", "buy", "again"], ["want", "purchase"]];
        Gen.Select(GenPeople, Gen.Int[0, 3], Gen.Int[0, 2], Gen.Bool, Gen.Bool).Sample((people, f, order, exclude, open) =>
        {
            var options = new FunnelArguments
            {
                Steps = string.Join(',', funnels[f]),
                Window = "3d",
                Order = ((FunnelOrder)order).ToString().ToLowerInvariant(),
                Open = open && order != 2,
                Exclude = exclude && order != 2 ? "gone" : null,
                To = "2026-01-05",
                Model = Model,
            }.ToOptions(T0);
            Assert.NotNull(options.Steps[0].Stage);
            var columns = JourneyColumns.FromJourneys(people);
            var expected = FunnelReference.Compute(people, options);
            var actual = new FunnelKernel(columns, options, Bits(people, columns, options)).Rows();
            Assert.Equal(expected, actual);
        }, iter: 500);
    }

    [Fact]
    public void A_first_occurrence_stage_matches_only_the_first_such_event()
    {
        var person = FunnelReferenceTests.P("p", ("purchase", 1), ("view", 2), ("purchase", 3));
        var buy = FunnelStep.FromStage(Model.Find("buy")!);
        var again = FunnelStep.FromStage(Model.Find("again")!);
        Assert.Equal([true, false, false], buy.MatchAll(person.Events));
        Assert.Equal([false, false, true], again.MatchAll(person.Events));
        Assert.Throws<InvalidOperationException>(() => buy.Matches(person.Events[0]));
    }

    [Fact]
    public void A_where_condition_in_a_model_file_is_read_and_a_bad_one_names_its_line()
    {
        var rule = Model.Find("want")!.Rules.Single();
        Assert.Equal("properties.amount>=50", rule.Where!.Single().ToString());
        Assert.True(Model.HasPropertyConditions);
        var ex = Assert.Throws<StageModelException>(() => StageModelFile.Parse("""
            name: bad
            stages:
              - name: a
                match:
                  - event: x
              - name: b
                match:
                  - event: y
                    where: amount>>lots
            """, "bad.yaml"));
        Assert.Contains("bad.yaml, line 9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_analysis_applies_where_conditions()
    {
        var people = new List<PersonJourney>
        {
            new("small", [new JourneyEvent(0, "1", "track", "view", null, null, null, null, "{}"), new JourneyEvent(10, "2", "track", "cart", null, null, null, null, """{"amount":10}""")]),
            new("large", [new JourneyEvent(0, "1", "track", "view", null, null, null, null, "{}"), new JourneyEvent(10, "2", "track", "cart", null, null, null, null, """{"amount":90}""")]),
        };
        var rows = StageAnalysis.Compute(people, Model);
        Assert.Equal(2, rows[0].Reached);
        Assert.Equal(1, rows[1].Reached);
    }
}
