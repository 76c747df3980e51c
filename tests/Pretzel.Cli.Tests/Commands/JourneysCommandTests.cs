using System.Globalization;
using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel journeys --shape</c> on the demo data, its breakdown and its usage errors.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class JourneysCommandTests : IDisposable
{
    private static readonly string[] Columns =
        ["group", "journeys", "linear", "skips", "goes_back", "loops", "returns_after_gap", "enters_mid_funnel", "refused", "pretzel_index"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_demo_journeys_are_pretzels_entering_mid_funnel_skipping_and_going_back()
    {
        var db = _temp.File("demo.duckdb");
        var demo = await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv");
        Assert.True(demo.Exit == 0, demo.ToString());

        var result = await CliRun.Run("journeys", "--db", db, "--shape", "--model", "journey", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(Columns, row.EnumerateObject().Select(p => p.Name));
        Assert.Equal("all", row.GetProperty("group").GetString());
        double Share(string column) => row.GetProperty(column).GetDouble();
        Assert.True(Share("pretzel_index") is > 0 and < 1, result.Out);
        Assert.Equal(1 - Share("linear"), Share("pretzel_index"), 6);
        Assert.True(Share("enters_mid_funnel") > 0, "word of mouth sends people straight to the deal");
        Assert.True(Share("skips") > 0, result.Out);
        Assert.True(Share("goes_back") > 0, result.Out);
        Assert.All(Columns.Skip(2), c => Assert.InRange(Share(c), 0, 1));

        // Every person with a stage event is one journey: the people the stages report counts as current somewhere.
        var stages = await CliRun.Run("stages", "--db", db, "--model", "journey", "--format", "json");
        using var stageRows = JsonDocument.Parse(stages.Out);
        Assert.Equal(stageRows.RootElement.EnumerateArray().SkipLast(1).Sum(r => r.GetProperty("current").GetInt64()), row.GetProperty("journeys").GetInt64());

        // A gap shorter than the default finds more returns; a later end never fewer journeys than an earlier one.
        var week = await CliRun.Run("journeys", "--db", db, "--shape", "--gap", "7d", "--format", "json");
        using var weekDoc = JsonDocument.Parse(week.Out);
        Assert.True(weekDoc.RootElement[0].GetProperty("returns_after_gap").GetDouble() > Share("returns_after_gap"), week.Out);
        var june = await CliRun.Run("journeys", "--db", db, "--shape", "--to", "2025-06-30", "--format", "json");
        using var juneDoc = JsonDocument.Parse(june.Out);
        var juneJourneys = juneDoc.RootElement[0].GetProperty("journeys").GetInt64();
        Assert.True(juneJourneys > 0 && juneJourneys < row.GetProperty("journeys").GetInt64(), june.Out);
    }

    [Fact]
    public async Task By_first_touch_the_channels_add_up_to_all()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        var result = await CliRun.Run("journeys", "--db", db, "--shape", "--by", "first_touch", "--format", "csv");
        Assert.True(result.Exit == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(string.Join(',', Columns), lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.True(rows.Count > 3, result.Out);
        Assert.Equal("all", rows[^1][0]);
        var journeys = rows.Select(r => long.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(journeys[^1], journeys.SkipLast(1).Sum());
        Assert.Equal(journeys.SkipLast(1).OrderDescending(), journeys.SkipLast(1));
        Assert.Contains(rows, r => r[0] == "word_of_mouth");
    }

    [Theory]
    [InlineData("--gap", "7 days", "--gap 7 days")]
    [InlineData("--gap", "-3d", "--gap -3d")]
    [InlineData("--model", "nonesuch", "--model nonesuch")]
    [InlineData("--by", "channel", "--by channel")]
    [InlineData("--to", "someday", "--to someday")]
    public async Task Bad_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var result = await CliRun.Run("journeys", "--db", _temp.File("none.duckdb"), "--shape", option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("none.duckdb")), "a usage error opens no store");
    }

    [Fact]
    public async Task Without_shape_the_command_says_what_it_needs()
    {
        var result = await CliRun.Run("journeys", "--db", _temp.File("none.duckdb"));
        Assert.Equal(2, result.Exit);
        Assert.Contains("--shape", result.Error, StringComparison.Ordinal);
    }
}
