using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Funnels;

/// <summary>Cases a review found wrong in the first version of the reference, kept as tests.</summary>
public sealed class ReviewedCasesTests
{
    // End of the analysis: 10 h after T0 (FunnelReferenceTests.P's origin).
    private static readonly DateTime To = new(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void In_strict_order_a_later_event_ends_the_window_even_before_its_deadline()
    {
        var rows = FunnelReference.Compute([FunnelReferenceTests.P("p", ("a", 8), ("x", 9))],
            FunnelReferenceTests.Steps("a,b", o => o with { Order = FunnelOrder.Strict, To = To }));
        Assert.Equal(1, rows[0].Dropped);
        Assert.Equal(0, rows[0].StillInWindow);
    }

    [Fact]
    public void An_excluded_event_after_the_last_step_ends_the_window()
    {
        var rows = FunnelReference.Compute([FunnelReferenceTests.P("p", ("a", 8), ("x", 9))],
            FunnelReferenceTests.Steps("a,b", o => o with { Exclude = FunnelStep.Parse("x"), To = To }));
        Assert.Equal(1, rows[0].Dropped);
        Assert.Equal(0, rows[0].StillInWindow);
    }

    [Fact]
    public void A_breakdown_by_channel_uses_the_first_steps_event_in_open_funnels_too()
    {
        var person = new PersonJourney("p",
        [
            new JourneyEvent(EventTime.ToMicros(To.AddHours(-9)), "p-1", "track", "a", "email", null, null, null),
            new JourneyEvent(EventTime.ToMicros(To.AddHours(-8)), "p-2", "track", "c", "ads", null, null, null),
        ]);
        var rows = FunnelReference.Compute([person], FunnelReferenceTests.Steps("a,b,c", o => o with { Open = true, By = "channel" }));
        Assert.All(rows, r => Assert.Equal("email", r.Group));
    }

    [Theory]
    [InlineData("20000000d")]
    [InlineData("1e-9s")]
    public void Windows_out_of_range_are_usage_errors(string window)
    {
        var ex = Assert.Throws<FunnelException>(() => new FunnelArguments { Steps = "a,b", Window = window }.ToOptions(To));
        Assert.Contains(window, ex.Message, StringComparison.Ordinal);
    }

    private static readonly StageModel TwoStages = StageModelFile.Parse("""
        name: two
        stages:
          - name: s1
            match:
              - event: s1
          - name: s2
            match:
              - event: s2
        """, "two.yaml");

    [Fact]
    public void Reaching_the_next_stage_again_after_the_previous_one_counts_as_conversion()
    {
        var rows = StageAnalysis.Compute([FunnelReferenceTests.P("p", ("s2", 0), ("s1", 10.0 / 3600), ("s2", 20.0 / 3600))], TwoStages);
        Assert.Equal(1.0, rows[1].ConversionFromPrevious);
        Assert.Equal(10.0, rows[0].MedianSecondsInStage!.Value, 6);
    }

    [Fact]
    public void Stage_events_at_the_same_time_keep_their_stream_order()
    {
        var rows = StageAnalysis.Compute([FunnelReferenceTests.P("p", ("s1", 0), ("s2", 0))], TwoStages);
        Assert.Equal(1.0, rows[1].ConversionFromPrevious);
        Assert.Equal(0.0, rows[0].MedianSecondsInStage);
    }
}
