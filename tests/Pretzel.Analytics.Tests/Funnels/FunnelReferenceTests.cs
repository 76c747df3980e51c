using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Funnels;

public sealed class FunnelReferenceTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime End = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    // Events as (name, hours after T0); message ids keep the given order for equal times.
    internal static PersonJourney P(string id, params (string Name, double Hours)[] events) =>
        new(id, [.. events.Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Hours)), $"{id}-{i:D3}", "track", e.Name, null, null, null, null))
            .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)]);

    internal static FunnelOptions Steps(string steps, Func<FunnelOptions, FunnelOptions>? adjust = null)
    {
        var options = new FunnelOptions { Steps = [.. steps.Split(',').Select(FunnelStep.Parse)], To = End };
        return adjust is null ? options : adjust(options);
    }

    private static long[] Entered(IReadOnlyList<FunnelRow> rows) => [.. rows.Select(r => r.Entered)];

    [Fact]
    public void A_one_step_funnel_is_refused_with_a_clear_error()
    {
        var ex = Assert.Throws<FunnelException>(() => FunnelReference.Compute([], Steps("a")));
        Assert.Contains("at least two steps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_data_gives_zero_rows_without_ratios()
    {
        var rows = FunnelReference.Compute([], Steps("a,b,c"));
        Assert.Equal([0L, 0, 0], Entered(rows));
        Assert.All(rows, r => Assert.Null(r.ConversionFromPrevious));
    }

    [Fact]
    public void Steps_must_follow_in_order_within_the_window()
    {
        var rows = FunnelReference.Compute(
        [
            P("in-order", ("a", 0), ("b", 1), ("c", 2)),
            P("wrong-order", ("b", 0), ("a", 1), ("c", 2)),
            P("too-late", ("a", 0), ("b", 1), ("c", 24 * 8)),
            P("only-a", ("a", 0)),
        ], Steps("a,b,c"));
        Assert.Equal([4L, 2, 1], Entered(rows));
        Assert.Equal(0.5, rows[1].ConversionFromPrevious);
        Assert.Equal(0.5, rows[2].ConversionFromPrevious);
        Assert.Equal(0.25, rows[2].ConversionFromStart);
        Assert.Equal(2.0 * 3600, rows[2].MedianSecondsToConvert);
    }

    [Fact]
    public void Ties_in_time_do_not_count_as_later()
    {
        var rows = FunnelReference.Compute([P("tie", ("a", 0), ("b", 0))], Steps("a,b"));
        Assert.Equal([1L, 0], Entered(rows));
    }

    [Fact]
    public void The_window_boundary_is_inclusive()
    {
        var week = 24 * 7;
        var at = FunnelReference.Compute([P("at", ("a", 0), ("b", week))], Steps("a,b"));
        var after = FunnelReference.Compute([P("after", ("a", 0), ("b", week + 1.0 / 3600 / 1000))], Steps("a,b"));
        Assert.Equal([1L, 1], Entered(at));
        Assert.Equal([1L, 0], Entered(after));
    }

    [Fact]
    public void A_repeated_first_step_restarts_the_window_and_a_person_counts_once()
    {
        var person = P("twice", ("a", 0), ("a", 24 * 8), ("b", 24 * 9), ("a", 24 * 30), ("b", 24 * 31));
        Assert.Equal([1L, 1], Entered(FunnelReference.Compute([person], Steps("a,b"))));
        Assert.Equal([3L, 2], Entered(FunnelReference.Compute([person], Steps("a,b", o => o with { Count = FunnelCount.Journeys }))));
    }

    [Fact]
    public void Strict_order_needs_consecutive_events()
    {
        var person = P("gap", ("a", 0), ("x", 1), ("b", 2));
        Assert.Equal([1L, 1], Entered(FunnelReference.Compute([person], Steps("a,b"))));
        Assert.Equal([1L, 0], Entered(FunnelReference.Compute([person], Steps("a,b", o => o with { Order = FunnelOrder.Strict }))));
    }

    [Fact]
    public void An_excluded_event_inside_the_chain_breaks_it_but_not_outside()
    {
        var inside = P("inside", ("a", 0), ("x", 1), ("b", 2));
        var before = P("before", ("x", 0), ("a", 1), ("b", 2));
        var rows = FunnelReference.Compute([inside, before], Steps("a,b", o => o with { Exclude = FunnelStep.Parse("x") }));
        Assert.Equal([2L, 1], Entered(rows));
    }

    [Fact]
    public void Per_step_windows_are_exact_where_the_earliest_match_would_fail()
    {
        // The earliest b (1 h) leaves only until 2 h for c; the later b (5 h) reaches c at 5.5 h.
        var person = P("later-b", ("a", 0), ("b", 1), ("b", 5), ("c", 5.5));
        var rows = FunnelReference.Compute([person], Steps("a,b,c", o => o with { StepWindows = new Dictionary<int, TimeSpan> { [3] = TimeSpan.FromHours(1) } }));
        Assert.Equal([1L, 1, 1], Entered(rows));
        Assert.Equal(5.5 * 3600, rows[2].MedianSecondsToConvert);
    }

    [Fact]
    public void People_whose_window_is_still_open_are_not_dropped()
    {
        var end = 24.0 * 151; // End is 151 days after T0
        var open = P("open", ("a", end - 24));
        var closed = P("closed", ("a", end - 24 * 8));
        var rows = FunnelReference.Compute([open, closed], Steps("a,b"));
        Assert.Equal(1, rows[0].Dropped);
        Assert.Equal(1, rows[0].StillInWindow);
        Assert.Null(rows[1].Dropped);
    }

    [Fact]
    public void Events_after_the_end_of_the_analysis_are_ignored()
    {
        var rows = FunnelReference.Compute([P("late", ("a", 0), ("b", 1))], Steps("a,b", o => o with { To = T0.AddMinutes(30) }));
        Assert.Equal([1L, 0], Entered(rows));
        Assert.Equal(1, rows[0].StillInWindow);
    }

    [Fact]
    public void Open_funnels_count_who_entered_mid_funnel()
    {
        var rows = FunnelReference.Compute(
        [
            P("from-start", ("a", 0), ("b", 1), ("c", 2)),
            P("mid", ("b", 0), ("c", 1)),
            P("late-entry", ("c", 0)),
        ], Steps("a,b,c", o => o with { Open = true }));
        Assert.Equal([1L, 2, 3], Entered(rows));
        Assert.Equal([1L, 1, 1], rows.Select(r => r.EnteredHere!.Value));
        Assert.Equal(1.0, rows[2].ConversionFromPrevious);
        // From the start: of those who entered at step 1, the share that reached step 3.
        Assert.Equal(1.0, rows[2].ConversionFromStart);
    }

    [Fact]
    public void Any_order_needs_every_step_within_one_window()
    {
        var rows = FunnelReference.Compute(
        [
            P("reversed", ("b", 0), ("a", 1)),
            P("apart", ("b", 0), ("a", 24 * 8)),
        ], Steps("a,b", o => o with { Order = FunnelOrder.Any }));
        Assert.Equal([2L, 1], Entered(rows));
    }

    [Fact]
    public void Steps_can_be_conditions_on_fields()
    {
        var step = FunnelStep.Parse("type=page&event=pricing");
        Assert.True(step.Matches(new JourneyEvent(0, "m", "page", "pricing", null, null, null, null)));
        Assert.False(step.Matches(new JourneyEvent(0, "m", "track", "pricing", null, null, null, null)));
        var ex = Assert.Throws<FunnelException>(() => FunnelStep.Parse("colour=red"));
        Assert.Contains("colour=red", ex.Message, StringComparison.Ordinal);
    }
}
