using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Shapes;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random stitched journeys stored in DuckDB and in the ClickHouse cluster give the same journey shape
/// rows on both, and the rows of <see cref="ShapeAnalysis"/> on the journeys the loader reads.
/// </summary>
public sealed class ShapeCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["visit", "learn", "trial", "buy", "buy", "refused", "other"];
    private static readonly string?[] Channels = [null, null, "email", "search", "social"];

    private static StageModel Model(string which) => StageModelFile.Parse(which switch
    {
        "plain" => """
            name: plain
            stages:
              - name: visit
                match:
                  - event: visit
              - name: learn
                match:
                  - event: learn
              - name: trial
                match:
                  - event: trial
              - name: buy
                match:
                  - event: buy
            exit:
              name: refusal
              match:
                - event: refused
            """,
        "occurrence" => """
            name: occurrence
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
              - name: buy
                match:
                  - event: buy
                    occurrence: first
              - name: again
                match:
                  - event: buy
                    occurrence: repeat
            exit:
              name: refusal
              match:
                - event: refused
            """,
        _ => """
            name: where
            stages:
              - name: visit
                match:
                  - event: visit
              - name: trial
                match:
                  - event: [learn, trial]
              - name: pro
                match:
                  - event: buy
                    where: plan=pro
            exit:
              name: refusal
              match:
                - event: refused
            """,
    }, which + ".yaml");

    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251207);
        var events = new List<Event>();
        for (var p = 0; p < 160; p++)
        {
            string? user = p % 5 == 0 ? "u" + (p / 3) : null; // some users share, merging people
            var n = random.Next(1, 12);
            var t = T0.AddHours(random.Next(0, 24 * 60));
            for (var i = 0; i < n; i++)
            {
                // Ties in time now and then, and now and then a long silence.
                t = t.AddMinutes(random.Next(0, 4) == 0 ? 0 : random.Next(0, 6) == 0 ? random.Next(1, 60 * 24 * 60) : random.Next(1, 60 * 24 * 3));
                var name = Names[random.Next(Names.Length)];
                events.Add(new Event
                {
                    MessageId = $"s-{p:D3}-{i:D2}",
                    Name = name,
                    Timestamp = t,
                    ReceivedAt = t,
                    AnonymousId = "a" + p,
                    UserId = i > n / 2 ? user : null,
                    Channel = Channels[random.Next(Channels.Length)],
                    Properties = name == "buy" ? (random.Next(2) == 0 ? """{"plan":"pro"}""" : """{"plan":"team"}""") : null,
                });
            }
        }

        return events;
    }

    [Theory]
    [InlineData("plain", 30, null, null)]
    [InlineData("plain", 2, "2025-04-10", "first_touch")]
    [InlineData("occurrence", 30, null, "first_touch")]
    [InlineData("occurrence", 7, "2025-05-01", null)]
    [InlineData("where", 30, null, "first_touch")]
    public async Task Both_stores_give_the_same_shapes_as_the_loaded_journeys(string model, int gapDays, string? to, string? by)
    {
        var options = new ShapeOptions
        {
            Model = Model(model),
            Gap = TimeSpan.FromDays(gapDays),
            To = to is null ? null : Pretzel.Analytics.Funnels.FunnelArguments.ParseTime(to),
            By = by,
        };
        var duck = await ShapeQuery.RunAsync(Duck, options);
        var clickHouse = await ShapeQuery.RunAsync(ClickHouse, options);
        var reference = ShapeAnalysis.Compute(await JourneyLoader.LoadAsync(Duck, options.To, withProperties: true), options);
        Assert.Equal(reference, duck);
        Assert.Equal(duck, clickHouse);

        var all = duck[^1];
        Assert.Equal("all", all.Group);
        Assert.True(all.Journeys > 20, $"{all}");
        Assert.True(all.PretzelIndex is > 0 and < 1, $"{all}");
        Assert.True(all.Skips > 0 && all.GoesBack > 0 && all.Loops > 0 && all.EntersMidFunnel > 0 && all.Refused > 0, $"{all}");
        if (by is not null)
        {
            Assert.True(duck.Count > 2, string.Join("\n", duck));
            Assert.Equal(all.Journeys, duck.SkipLast(1).Sum(r => r.Journeys));
        }
    }

    [Fact]
    public async Task Long_silences_are_returns_on_both_stores()
    {
        var options = new ShapeOptions { Model = Model("plain"), Gap = TimeSpan.FromDays(20) };
        var duck = Assert.Single(await ShapeQuery.RunAsync(Duck, options));
        var clickHouse = Assert.Single(await ShapeQuery.RunAsync(ClickHouse, options));
        Assert.Equal(duck, clickHouse);
        Assert.True(duck.ReturnsAfterGap is > 0 and < 1, $"{duck}");
    }
}
