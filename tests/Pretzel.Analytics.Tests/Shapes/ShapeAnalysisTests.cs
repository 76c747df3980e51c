using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Shapes;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Shapes;

/// <summary>Hand-made journeys, one per trait, on a small model; and the rows they make.</summary>
public sealed class ShapeAnalysisTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    internal static readonly StageModel Model = StageModelFile.Parse("""
        name: shape
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
        """, "shape.yaml");

    /// <summary>A person with events (name, days after T0, channel), in the order given.</summary>
    internal static PersonJourney Person(string id, params (string Name, double Days, string? Channel)[] events) =>
        new(id, [.. events.Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddDays(e.Days)), $"m{i:D3}", "track", e.Name, e.Channel, null, null, null))]);

    private static ShapeTraits Traits(PersonJourney person, double gapDays = 30) =>
        Assert.Single(ShapeAnalysis.Classify([person], Model, TimeSpan.FromDays(gapDays))).Traits;

    [Fact]
    public void A_walker_through_every_stage_in_order_is_linear_and_nothing_else()
    {
        var walker = Person("walker", ("visit", 0, null), ("visit", 1, null), ("learn", 2, null), ("trial", 3, null), ("trial", 4, null), ("buy", 5, null));
        Assert.Equal(ShapeTraits.Linear, Traits(walker));
    }

    [Fact]
    public void Leaving_out_a_stage_is_a_skip_and_not_linear()
    {
        var skipper = Person("skipper", ("visit", 0, null), ("trial", 1, null), ("buy", 2, null));
        Assert.Equal(ShapeTraits.Skips, Traits(skipper));
    }

    [Fact]
    public void An_event_of_an_earlier_stage_than_the_furthest_is_going_back()
    {
        // One channel throughout, so the return to "learn" is not also a loop on a touchpoint.
        var regressor = Person("regressor", ("visit", 0, "web"), ("learn", 1, "web"), ("trial", 2, "web"), ("learn", 3, "web"));
        Assert.Equal(ShapeTraits.GoesBack, Traits(regressor));

        // A skip forward and then back: both traits, and not linear.
        var zigzag = Person("zigzag", ("visit", 0, "web"), ("trial", 1, "web"), ("visit", 2, "web"), ("learn", 3, "web"));
        Assert.Equal(ShapeTraits.Skips | ShapeTraits.GoesBack, Traits(zigzag));
    }

    [Fact]
    public void Coming_back_to_a_touchpoint_after_another_is_a_loop_but_repeating_one_is_not()
    {
        var looper = Person("looper", ("visit", 0, "email"), ("learn", 1, "search"), ("trial", 2, "email"), ("buy", 3, "email"));
        Assert.Equal(ShapeTraits.Linear | ShapeTraits.Loops, Traits(looper));

        var repeater = Person("repeater", ("visit", 0, "email"), ("learn", 1, "email"), ("trial", 2, "search"), ("buy", 3, "search"));
        Assert.Equal(ShapeTraits.Linear, Traits(repeater));

        // Without a channel the event name is the touchpoint: visit, learn, visit.
        var named = Person("named", ("visit", 0, null), ("learn", 1, null), ("visit", 2, null));
        Assert.Equal(ShapeTraits.Loops | ShapeTraits.GoesBack, Traits(named));

        // Only stage events count: an event in no stage between two of the same touchpoint does not make a loop.
        var unplaced = Person("unplaced", ("visit", 0, "email"), ("other", 1, "search"), ("learn", 2, "email"));
        Assert.Equal(ShapeTraits.Linear, Traits(unplaced));
    }

    [Fact]
    public void Forty_days_of_silence_is_a_return_after_a_30_day_gap_and_twenty_is_not()
    {
        Assert.Equal(ShapeTraits.Linear | ShapeTraits.ReturnsAfterGap, Traits(Person("returner", ("visit", 0, null), ("learn", 40, null))));
        Assert.Equal(ShapeTraits.Linear, Traits(Person("regular", ("visit", 0, null), ("learn", 20, null))));
        // Exactly the gap is not more than it.
        Assert.Equal(ShapeTraits.Linear, Traits(Person("on-the-day", ("visit", 0, null), ("learn", 30, null))));
        Assert.Equal(ShapeTraits.Linear | ShapeTraits.ReturnsAfterGap, Traits(Person("returner", ("visit", 0, null), ("learn", 20, null)), gapDays: 14));

        // Any events of the person count, not only stage events: consecutive ones, 20 days apart here.
        Assert.Equal(ShapeTraits.Linear, Traits(Person("busy", ("visit", 0, null), ("other", 20, null), ("learn", 40, null))));
    }

    [Fact]
    public void A_first_stage_event_past_the_first_stage_is_a_mid_funnel_entry_and_a_skip()
    {
        var entrant = Person("friend", ("other", 0, "word_of_mouth"), ("trial", 1, null), ("buy", 2, null));
        Assert.Equal(ShapeTraits.EntersMidFunnel | ShapeTraits.Skips, Traits(entrant));

        var second = Person("second", ("learn", 0, null), ("trial", 1, null), ("visit", 2, null));
        Assert.Equal(ShapeTraits.EntersMidFunnel | ShapeTraits.Skips | ShapeTraits.GoesBack, Traits(second));
    }

    [Fact]
    public void Taking_the_exit_is_a_refusal_and_the_exit_alone_is_no_journey()
    {
        Assert.Equal(ShapeTraits.Linear | ShapeTraits.Refused, Traits(Person("no-thanks", ("visit", 0, null), ("learn", 1, null), ("refused", 2, null))));
        Assert.Equal(ShapeTraits.Linear | ShapeTraits.Refused, Traits(Person("early-no", ("refused", 0, null), ("visit", 1, null))));
        Assert.Empty(ShapeAnalysis.Classify([Person("only-no", ("refused", 0, null)), Person("nothing", ("other", 0, null))], Model, TimeSpan.FromDays(30)));
    }

    [Fact]
    public void Events_after_the_end_are_left_out()
    {
        var person = Person("p", ("visit", 0, null), ("buy", 10, null));
        Assert.Equal(ShapeTraits.Linear, Assert.Single(ShapeAnalysis.Classify([person], Model, TimeSpan.FromDays(30), T0.AddDays(5))).Traits);
        Assert.Empty(ShapeAnalysis.Classify([Person("late", ("visit", 10, null))], Model, TimeSpan.FromDays(30), T0.AddDays(5)));
    }

    [Fact]
    public void Rows_give_shares_per_first_touch_then_all()
    {
        PersonJourney[] people =
        [
            Person("a", ("visit", 0, "email"), ("learn", 1, null)),                  // email: linear
            Person("b", ("other", 0, "email"), ("trial", 1, "search")),             // email: mid-funnel, skip
            Person("c", ("visit", 0, null), ("learn", 1, "search"), ("refused", 2, null)), // search: linear, refused
            Person("d", ("visit", 0, null), ("visit", 50, null)),                   // (none): linear, returns
            Person("e", ("refused", 0, "ads")),                                     // no journey
        ];
        var rows = ShapeAnalysis.Compute(people, new ShapeOptions { Model = Model, By = "first_touch" });
        Assert.Equal(["email", "(none)", "search", "all"], rows.Select(r => r.Group));
        Assert.Equal([2L, 1, 1, 4], rows.Select(r => r.Journeys));
        var email = rows[0];
        Assert.Equal(new double?[] { 0.5, 0.5, 0.5, 0, 0.5 }, [email.Linear, email.Skips, email.EntersMidFunnel, email.Refused, email.PretzelIndex]);
        Assert.Equal(new double?[] { 1, 1, 0 }, [rows[1].ReturnsAfterGap, rows[1].Linear, rows[1].PretzelIndex]);
        Assert.Equal(1.0, rows[2].Refused);
        var all = rows[^1];
        Assert.Equal(new ShapeRow("all", 4, 0.75, 0.25, 0, 0, 0.25, 0.25, 0.25, 0.25), all);
        Assert.Equal(ShapeRow.Columns.Count, all.Values().Length);

        Assert.Equal([all], ShapeAnalysis.Compute(people, new ShapeOptions { Model = Model }));
        var three = ShapeAnalysis.Compute(people.Take(3), new ShapeOptions { Model = Model }).Single();
        Assert.Equal(new double?[] { 0.666667, 0.333333 }, [three.Linear, three.PretzelIndex]);
    }

    [Fact]
    public void No_journeys_give_an_all_row_without_shares()
    {
        var row = Assert.Single(ShapeAnalysis.Compute([Person("x", ("other", 0, null))], new ShapeOptions { Model = Model, By = "first_touch" }));
        Assert.Equal(new ShapeRow("all", 0, null, null, null, null, null, null, null, null), row);
    }

    [Theory]
    [InlineData("channel", "--by channel")]
    [InlineData("last_touch", "--by last_touch")]
    public void Only_first_touch_is_a_breakdown(string by, string message)
    {
        var ex = Assert.Throws<ShapeException>(() => ShapeAnalysis.Compute([], new ShapeOptions { Model = Model, By = by }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ShapeException>(() => ShapeAnalysis.Compute([], new ShapeOptions { Model = Model, Gap = TimeSpan.Zero }));
    }
}
