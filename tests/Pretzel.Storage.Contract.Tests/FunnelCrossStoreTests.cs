using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;
using Pretzel.Storage.ClickHouse;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random journeys stored in DuckDB and in the ClickHouse cluster come back as the same person journeys,
/// and every funnel mode gives the same rows on both (and the same as on the journeys generated in memory).
/// </summary>
public sealed class FunnelCrossStoreTests : BothStores
{
    private static readonly DateTime T0 = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["view", "cart", "checkout", "purchase", "refund"];
    private List<Event> _events = [];

    protected override IReadOnlyList<Event> CreateEvents()
    {
        var random = new Random(20251122);
        for (var p = 0; p < 150; p++)
        {
            var anonymous = "a" + p;
            string? user = p % 4 == 0 ? "u" + (p / 2) : null; // some users share, merging people
            var n = random.Next(1, 14);
            var t = T0.AddHours(random.Next(0, 24 * 60));
            for (var i = 0; i < n; i++)
            {
                // Ties in time on purpose: the same minute now and then.
                t = t.AddMinutes(random.Next(0, 4) == 0 ? 0 : random.Next(1, 60 * 24 * 3));
                var name = Names[random.Next(Names.Length)];
                _events.Add(new Event
                {
                    MessageId = $"f-{p:D3}-{i:D2}",
                    Name = name,
                    Revenue = name == "purchase" && random.Next(3) > 0 ? random.Next(1, 50_000) / 100.0 : null,
                    Timestamp = t,
                    ReceivedAt = t,
                    AnonymousId = anonymous,
                    UserId = i > n / 2 ? user : null,
                    Channel = random.Next(4) switch { 0 => "email", 1 => "ads", _ => null },
                });
            }
        }

        return _events;
    }

    [Fact]
    public async Task Both_stores_hand_the_analyses_the_same_journeys()
    {
        var duck = await JourneyLoader.LoadAsync(Duck, null);
        var clickHouse = await JourneyLoader.LoadAsync(ClickHouse, null);
        Assert.True(duck.Count > 100);
        Assert.Equal(_events.Count, duck.Sum(j => j.Events.Count));
        Assert.Equal(duck.Count, clickHouse.Count);
        for (var i = 0; i < duck.Count; i++)
        {
            Assert.Equal(duck[i].PersonId, clickHouse[i].PersonId);
            Assert.Equal(duck[i].Events, clickHouse[i].Events);
        }
    }

    [Fact]
    public async Task Both_stores_hand_the_kernels_the_same_columns_as_the_journeys()
    {
        var journeys = await JourneyLoader.LoadAsync(Duck, null);
        foreach (var store in (Pretzel.Core.Storage.IEventStore[])[Duck, ClickHouse])
        {
            var columns = await store.ReadEventColumnsAsync();
            Assert.Equal(_events.Count, columns.Count);
            var fromColumns = JourneyColumns.ToJourneys(columns, null).OrderBy(j => j.PersonId, StringComparer.Ordinal).ToList();
            Assert.Equal(journeys.Select(j => j.PersonId), fromColumns.Select(j => j.PersonId));
            Assert.Equal(journeys.SelectMany(j => j.Events.Select(e => e with { MessageId = "" })),
                fromColumns.SelectMany(j => j.Events.Select(e => e with { MessageId = "" })));
        }
    }

    [Theory]
    [InlineData("channel", false, null)]
    [InlineData("event", true, "3")]
    [InlineData("channel:event", false, null)]
    public async Task Paths_are_the_same_on_both_stores_and_the_reference(string touch, bool collapse, string? maxLength)
    {
        var options = new Pretzel.Analytics.Paths.PathArguments { Touch = touch, Collapse = collapse, MaxLength = maxLength, Lookback = "20d", To = "2025-05-15" }
            .ToOptions(DateTime.UtcNow) with { ConversionEvents = ["purchase"] };
        var reference = Pretzel.Analytics.Paths.PathReference.Compute(await JourneyLoader.LoadAsync(Duck, options.To), options);
        Assert.True(reference.Paths.Sum(p => p.Conversions) > 0 && reference.Paths.Sum(p => p.Value) > 0);
        foreach (var store in (Pretzel.Core.Storage.IEventStore[])[Duck, ClickHouse])
        {
            var result = await Pretzel.Analytics.Paths.PathQuery.RunAsync(store, options);
            Assert.Equal((reference.People, reference.Journeys), (result.People, result.Journeys));
            Assert.Equal(reference.Table.Select(r => (r.Path, r.Conversions, r.Nulls)), result.Table.Select(r => (r.Path, r.Conversions, r.Nulls)));
            Assert.Equal(reference.Table.Select(r => Math.Round(r.ConversionValue, 6)), result.Table.Select(r => Math.Round(r.ConversionValue, 6)));
            Assert.Equal(reference.Paths.Select(p => p.DaysToConvert.Order().Select(d => Math.Round(d, 9))), result.Paths.Select(p => p.DaysToConvert.Order().Select(d => Math.Round(d, 9))));
        }
    }

    public static TheoryData<string, string> Funnels() => new()
    {
        { "view,cart,purchase", "" },
        { "view,cart,checkout,purchase", "order=strict" },
        { "cart,view", "order=any;window=2d" },
        { "view,cart,purchase", "open" },
        { "view,purchase", "exclude=refund;window=30d" },
        { "view,cart,purchase", "step=3:1d;count=journeys" },
        { "channel=email,purchase", "window=14d;to=2025-04-15" },
        { "view,cart,purchase", "by=channel" },
        { "view,purchase", "by=first_touch;open" },
    };

    [Theory]
    [MemberData(nameof(Funnels))]
    public async Task Every_funnel_mode_gives_the_same_rows_on_both_stores(string steps, string settings)
    {
        var arguments = new FunnelArguments { Steps = steps, To = "2025-06-01" };
        foreach (var setting in settings.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = setting.Contains('=', StringComparison.Ordinal) ? (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]) : (setting, "");
            arguments = key switch
            {
                "order" => arguments with { Order = value },
                "window" => arguments with { Window = value },
                "open" => arguments with { Open = true },
                "exclude" => arguments with { Exclude = value },
                "step" => arguments with { StepWindows = value.Replace(':', '=') },
                "count" => arguments with { Count = value },
                "to" => arguments with { To = value },
                "by" => arguments with { By = value },
                _ => throw new InvalidOperationException(setting),
            };
        }

        var options = arguments.ToOptions(DateTime.UtcNow);
        var duck = await FunnelQuery.RunAsync(Duck, options);
        var clickHouse = await FunnelQuery.RunAsync(ClickHouse, options);
        var reference = FunnelReference.Compute(await JourneyLoader.LoadAsync(Duck, options.To), options);
        Assert.Equal(reference, duck);
        Assert.Equal(duck, clickHouse);
        Assert.True(duck[0].Entered > 0, "the first step should have people");
    }

    [Fact]
    public async Task Random_funnels_pushed_down_to_ClickHouse_give_the_kernel_and_reference_rows()
    {
        // Steps, windows and ends drawn at random: the windows are whole minutes, as the events' times are, so chains
        // end exactly on a window's edge now and then; ties in time and repeated steps come from the data.
        string[] kinds = [.. Names, "channel=email", "view&channel=email", "type=track&event=cart"];
        var random = new Random(20251123);
        var journeys = await JourneyLoader.LoadAsync(Duck, null);
        var pushedDown = 0;
        for (var run = 0; run < 40; run++)
        {
            var steps = string.Join(',', Enumerable.Range(0, random.Next(2, 5)).Select(_ => kinds[random.Next(kinds.Length)]));
            var window = $"{random.Next(1, 60 * 24 * 12)}m";
            var to = T0.AddHours(random.Next(24 * 20, 24 * 95)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            string?[] breakdowns = [null, null, "channel", "type", "first_touch", "last_touch"];
            var by = breakdowns[random.Next(breakdowns.Length)];
            var options = new FunnelArguments { Steps = steps, Window = window, To = to, By = by }.ToOptions(DateTime.UtcNow);
            Assert.True(FunnelPushDown.Applies(ClickHouse, options), $"{steps} should be computed by ClickHouse");
            var reference = FunnelReference.Compute(journeys, options);
            var clickHouse = await FunnelQuery.RunAsync(ClickHouse, options);
            Assert.True(reference.SequenceEqual(clickHouse), $"steps {steps}, window {window}, to {to}, by {by}:\nreference  {string.Join(" | ", reference)}\nclickhouse {string.Join(" | ", clickHouse)}");
            Assert.Equal(reference, await FunnelQuery.RunAsync(Duck, options));
            pushedDown += reference.Count > 0 && reference[0].Entered > 0 ? 1 : 0;
        }

        Assert.True(pushedDown >= 30, $"only {pushedDown} of 40 random funnels had people at the first step");
    }

    [Fact]
    public async Task Funnels_without_a_SQL_form_run_as_the_kernel_on_ClickHouse()
    {
        var now = DateTime.UtcNow;
        foreach (var arguments in (FunnelArguments[])[
            new() { Steps = "view,cart", Open = true },
            new() { Steps = "view,cart", Order = "strict" },
            new() { Steps = "view,cart", Count = "journeys" },
            new() { Steps = "view,cart", Exclude = "refund" },
            new() { Steps = "view,cart,purchase", StepWindows = "3=1d" }])
        {
            Assert.False(FunnelPushDown.Applies(ClickHouse, arguments.ToOptions(now)), arguments.ToString());
        }

        Assert.True(FunnelPushDown.Applies(ClickHouse, new FunnelArguments { Steps = "view,cart" }.ToOptions(now)));
        Assert.False(FunnelPushDown.Applies(Duck, new FunnelArguments { Steps = "view,cart" }.ToOptions(now)), "DuckDB runs the kernel");
        using var off = await ClickHouseEventStore.OpenAsync(ClickHouse.Options with { PushDown = false });
        Assert.False(FunnelPushDown.Applies(off, new FunnelArguments { Steps = "view,cart" }.ToOptions(now)), "pushdown=off runs the kernel");

        // The server's caching store pushes down until it holds the columns; then its kernels are faster.
        var caching = new Pretzel.Core.Storage.ColumnCachingStore(ClickHouse);
        Assert.True(caching.PushesDown);
        var rows = await FunnelQuery.RunAsync(caching, new FunnelArguments { Steps = "view,cart", To = "2025-06-01" }.ToOptions(now));
        await caching.ReadEventColumnsAsync();
        Assert.False(caching.PushesDown);
        Assert.Equal(rows, await FunnelQuery.RunAsync(caching, new FunnelArguments { Steps = "view,cart", To = "2025-06-01" }.ToOptions(now)));
        Assert.False(new Pretzel.Core.Storage.ColumnCachingStore(Duck).PushesDown);
    }

    [Fact]
    public async Task A_stage_model_gives_the_same_rows_on_both_stores()
    {
        var model = StageModelFile.Parse("""
            name: shop
            stages:
              - name: browse
                match:
                  - event: view
              - name: consider
                match:
                  - event: [cart, checkout]
              - name: buy
                match:
                  - event: purchase
                    occurrence: first
              - name: again
                match:
                  - event: purchase
                    occurrence: repeat
            exit:
              name: refund
              match:
                - event: refund
            """, "shop.yaml");
        var duck = await StageQuery.RunAsync(Duck, model, null);
        var clickHouse = await StageQuery.RunAsync(ClickHouse, model, null);
        Assert.Equal(duck, clickHouse);
        Assert.True(duck[0].Reached > 0 && duck[^1].Reached > 0);
    }
}
