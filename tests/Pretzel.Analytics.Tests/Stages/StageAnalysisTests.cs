using Pretzel.Analytics.Stages;
using Pretzel.Analytics.Tests.Funnels;

namespace Pretzel.Analytics.Tests.Stages;

public sealed class StageAnalysisTests
{
    private static readonly StageModel Model = StageModelFile.Parse("""
        name: test
        stages:
          - name: visit
            match:
              - event: visit
          - name: trial
            match:
              - event: [trial]
          - name: paid
            match:
              - event: buy
                occurrence: first
          - name: repeat
            match:
              - event: buy
                occurrence: repeat
        exit:
          name: refusal
          match:
            - event: refused
        """, "test.yaml");

    private static StageRow Row(IReadOnlyList<StageRow> rows, string stage) => rows.Single(r => r.Stage == stage);

    [Fact]
    public void A_straight_journey_converts_stage_by_stage()
    {
        var rows = StageAnalysis.Compute([FunnelReferenceTests.P("p", ("visit", 0), ("trial", 1), ("buy", 3), ("buy", 10))], Model);
        Assert.Equal([1L, 1, 1, 1], rows.Take(4).Select(r => r.Reached));
        Assert.Equal(1, Row(rows, "repeat").Current);
        Assert.Equal(1.0, Row(rows, "trial").ConversionFromPrevious);
        Assert.Equal(3600.0, Row(rows, "visit").MedianSecondsInStage);
        Assert.Equal(2 * 3600.0, Row(rows, "trial").MedianSecondsInStage);
        Assert.All(rows.Take(4), r => Assert.Equal(0, r.Skipped));
    }

    [Fact]
    public void Mid_funnel_entry_counts_as_a_skip_and_going_back_as_a_regression()
    {
        var rows = StageAnalysis.Compute([FunnelReferenceTests.P("friend", ("buy", 0), ("visit", 5))], Model);
        Assert.Equal(1, Row(rows, "paid").Skipped);
        Assert.Equal(1, Row(rows, "paid").Regressed);
        Assert.Equal(1, Row(rows, "visit").Current);
        Assert.Equal(0, Row(rows, "trial").Reached);
        Assert.Null(Row(rows, "paid").ConversionFromPrevious); // nobody reached the stage before it
    }

    [Fact]
    public void Refusals_count_at_the_stage_the_person_was_in()
    {
        var rows = StageAnalysis.Compute(
        [
            FunnelReferenceTests.P("no-thanks", ("visit", 0), ("trial", 1), ("refused", 2)),
            FunnelReferenceTests.P("never-started", ("refused", 0)),
        ], Model);
        Assert.Equal(1, Row(rows, "trial").Refused);
        Assert.Equal(0, Row(rows, "visit").Refused);
        Assert.Equal(2, Row(rows, "refusal").Reached);
    }

    [Fact]
    public void Only_a_second_purchase_is_a_repeat()
    {
        var once = StageAnalysis.Compute([FunnelReferenceTests.P("once", ("buy", 0))], Model);
        Assert.Equal(0, Row(once, "repeat").Reached);
        Assert.Equal(1, Row(once, "paid").Reached);
    }

    [Theory]
    [InlineData("name: x\nstages:\n  - name: a\n    match:\n      - colour: red\n", "line 5", "colour")]
    [InlineData("name: x\nstages:\n  - name: a\n    match:\n      - event: a\n", "at least two stages", "x")]
    [InlineData("name: x\nstages: [\n", "line", "test.yaml")]
    [InlineData("name: x\nstages:\n  - name: a\n    match:\n      - event: a\n        occurrence: third\n  - name: b\n    match:\n      - event: b\n", "third", "'a'")]
    public void Bad_model_files_name_the_line_or_stage(string yaml, string expected, string alsoExpected)
    {
        var ex = Assert.Throws<StageModelException>(() => StageModelFile.Parse(yaml, "test.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(alsoExpected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_built_in_model_is_valid_and_resolvable()
    {
        foreach (var name in BuiltInModels.Names)
        {
            var model = StageModelFile.Resolve(name);
            model.Validate();
            Assert.Equal(name, model.Name);
        }

        Assert.Equal(10, StageModelFile.Resolve("journey").Stages.Count);
        Assert.Equal("refusal", StageModelFile.Resolve("journey").Exit!.Name);
        Assert.Throws<StageModelException>(() => StageModelFile.Resolve("no-such-model"));
    }
}
