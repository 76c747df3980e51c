using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Conditions on event properties, evaluated by each store in its own SQL, pick exactly the events the
/// C# rule (<see cref="PropertyCondition.Matches"/>) picks; and funnels with property steps give the
/// reference's rows on both stores.
/// </summary>
public sealed class PropertyConditionCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string?[] Properties =
    [
        """{"plan":"pro","amount":120}""",
        """{"plan":"free","amount":"80"}""",
        """{"plan":null,"amount":5.0}""",
        """{"plan":{"tier":"pro"},"amount":[1,2]}""",
        """{"plan":"Zo\u00ebe \"Z\"","amount":-3}""",
        """{"vip":true,"amount":1e2}""",
        """{"vip":"true","amount":"5"}""",
        "{}",
        null,
    ];

    private static readonly string[] Conditions =
    [
        "plan=pro", "plan!=pro", "plan=Zoëe \"Z\"", "amount>=100", "amount=5", "amount<0", "amount!=5", "vip=true",
    ];


    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251123);
        var events = new List<Event>();
        for (var p = 0; p < 60; p++)
        {
            var t = T0.AddHours(random.Next(0, 24 * 20));
            for (var i = 0; i < random.Next(1, 9); i++)
            {
                t = t.AddHours(random.Next(0, 30));
                events.Add(new Event
                {
                    MessageId = $"pc-{p:D2}-{i}",
                    Name = (string[])["view", "cart", "purchase"] is var names ? names[random.Next(names.Length)] : null,
                    Timestamp = t,
                    ReceivedAt = t,
                    AnonymousId = "a" + p,
                    Properties = Properties[random.Next(Properties.Length)],
                });
            }
        }

        return events;
    }

    [Fact]
    public async Task Each_store_picks_the_events_the_csharp_rule_picks()
    {
        foreach (var store in (IEventStore[])[Duck, ClickHouse])
        {
            // The stored properties, aligned with the store's column order.
            var journeys = (await JourneyLoader.LoadAsync(store, null, withProperties: true)).ToDictionary(j => j.PersonId);
            var columns = await store.ReadEventColumnsAsync();
            var properties = new string?[columns.Count];
            for (var p = 0; p < columns.PersonCount; p++)
            {
                var events = journeys[columns.PersonIds[p]].Events;
                for (var i = 0; i < events.Count; i++)
                {
                    properties[columns.PersonStart[p] + i] = events[i].Properties;
                }
            }

            foreach (var text in Conditions)
            {
                var condition = FunnelStep.Parse("properties." + text).Properties.Single();
                var bits = await store.MatchEventsAsync(columns, condition.Sql(store.Dialect));
                var expected = properties.Select(condition.Matches).ToArray();
                Assert.True(expected.Any(x => x), $"'{text}' should match some events");
                for (var i = 0; i < columns.Count; i++)
                {
                    Assert.True(expected[i] == bits[i], $"{store.Dialect.Name}: '{text}' on {properties[i] ?? "null"}: expected {expected[i]}");
                }
            }
        }
    }

    [Theory]
    [InlineData("view,cart&properties.amount>=100,purchase", true)]
    [InlineData("properties.plan=pro,purchase&properties.plan!=free", true)]
    [InlineData("view,cart&properties.amount>=100,purchase", false)]
    [InlineData("properties.plan=pro,purchase&properties.plan!=free", false)]
    public async Task A_funnel_with_property_steps_gives_the_reference_rows_on_both_stores(string steps, bool exclude)
    {
        var options = new FunnelArguments { Steps = steps, Window = "10d", To = "2025-06-01", Exclude = exclude ? "properties.vip=true" : null }.ToOptions(DateTime.UtcNow);

        // Without the exclusion ClickHouse computes the funnel in its own SQL; with it, the kernel runs over its columns.
        Assert.Equal(!exclude, FunnelPushDown.Applies(ClickHouse, options));
        var reference = FunnelReference.Compute(await JourneyLoader.LoadAsync(Duck, options.To, withProperties: true), options);
        Assert.True(reference[0].Entered > 0);
        Assert.Equal(reference, await FunnelQuery.RunAsync(Duck, options));
        Assert.Equal(reference, await FunnelQuery.RunAsync(ClickHouse, options));
    }

    private static readonly Pretzel.Analytics.Stages.StageModel Model = Pretzel.Analytics.Stages.StageModelFile.Parse("""
        name: shop
        stages:
          - name: look
            match:
              - event: view
          - name: want
            match:
              - event: cart
                where: amount>=100
              - event: cart
                where: [plan=pro]
          - name: buy
            match:
              - event: purchase
                occurrence: first
          - name: again
            match:
              - event: purchase
                occurrence: repeat
        exit:
          name: vip
          match:
            - where: vip=true
        """, "shop.yaml");

    [Fact]
    public async Task Stage_steps_and_stage_rules_with_property_conditions_agree_on_both_stores()
    {
        var options = new FunnelArguments { Steps = "look,want,buy", Window = "10d", To = "2025-06-01", Exclude = "vip", Model = Model }.ToOptions(DateTime.UtcNow);
        var journeys = await JourneyLoader.LoadAsync(Duck, options.To, withProperties: true);
        var reference = FunnelReference.Compute(journeys, options);
        Assert.True(reference[1].Entered > 0);
        Assert.Equal(reference, await FunnelQuery.RunAsync(Duck, options));
        Assert.Equal(reference, await FunnelQuery.RunAsync(ClickHouse, options));

        var stages = Pretzel.Analytics.Stages.StageAnalysis.Compute(journeys, Model);
        Assert.Equal(stages, await Pretzel.Analytics.Stages.StageQuery.RunAsync(Duck, Model, options.To));
        Assert.Equal(stages, await Pretzel.Analytics.Stages.StageQuery.RunAsync(ClickHouse, Model, options.To));
    }
}
