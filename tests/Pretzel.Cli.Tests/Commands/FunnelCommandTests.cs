using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel funnel</c> on the demo data: the columns, mid-funnel entrants and people still in the window.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FunnelCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Funnel_on_the_demo_shows_entrants_drops_and_people_still_in_the_window()
    {
        var db = _temp.File("demo.duckdb");
        var demo = await CliRun.Run("demo", "--db", db, "--people", "3000", "--format", "csv");
        Assert.True(demo.Exit == 0, demo.ToString());

        var result = await CliRun.Run("funnel", "--db", db, "--steps", "pricing,signup,purchase", "--window", "30d", "--open", "--to", "2025-12-31", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["step", "name", "entered", "conversion_from_previous", "conversion_from_start", "dropped", "still_in_window", "entered_here", "median_seconds_to_convert", "p90_seconds_to_convert"],
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.True(rows[0].GetProperty("entered").GetInt64() > rows[2].GetProperty("entered").GetInt64());
        Assert.True(rows[1].GetProperty("entered_here").GetInt64() > 0, "some people sign up without the pricing page first");
        Assert.True(rows[0].GetProperty("still_in_window").GetInt64() > 0, "people who saw pricing in December are still in their window");
        Assert.True(rows[0].GetProperty("dropped").GetInt64() > 0);
    }

    [Theory]
    [InlineData("--steps", "purchase", "at least two steps")]
    [InlineData("--window", "7 days", "--window 7 days")]
    [InlineData("--order", "sideways", "--order sideways")]
    [InlineData("--step-window", "9=1d", "--step-window 9")]
    public async Task Bad_funnel_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var args = option == "--steps" ? new[] { "funnel", "--db", _temp.File("none.duckdb"), option, value } : ["funnel", "--db", _temp.File("none.duckdb"), "--steps", "a,b", option, value];
        var result = await CliRun.Run(args);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
