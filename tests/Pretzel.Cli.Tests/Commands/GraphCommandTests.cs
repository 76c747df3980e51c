using System.Text.Json;
using Pretzel.Ingest.Demo;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel graph</c> on the demo data: the planted dead end ranks first; bright routes end in conversion.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class GraphCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_planted_dead_end_is_the_first_black_hole_and_bright_paths_lead_to_conversion()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "3000", "--format", "csv")).Exit);

        var holes = await CliRun.Run("graph", "--db", db, "--black-holes", "--top", "5", "--format", "json");
        Assert.True(holes.Exit == 0, holes.ToString());
        using (var doc = JsonDocument.Parse(holes.Out))
        {
            var first = doc.RootElement[0];
            Assert.Equal("careers", first.GetProperty("node").GetString());

            // The demo ends nine in ten data streams right after a careers page view.
            Assert.InRange(first.GetProperty("exit_rate").GetDouble(), DemoGroundTruth.CareersExit - 0.1, 1.0);
            Assert.Contains("careers", first.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        }

        var bright = await CliRun.Run("graph", "--db", db, "--bright-paths", "5", "--format", "json");
        Assert.True(bright.Exit == 0, bright.ToString());
        using (var doc = JsonDocument.Parse(bright.Out))
        {
            var rows = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(5, rows.Count);
            var probabilities = rows.Select(r => r.GetProperty("chain_probability").GetDouble()).ToList();
            Assert.All(probabilities, p => Assert.InRange(p, 1e-12, 1));
            Assert.Equal(probabilities.OrderDescending(), probabilities);
        }

        var nodes = await CliRun.Run("graph", "--db", db, "--touch", "channel", "--order", "2", "--format", "json");
        Assert.True(nodes.Exit == 0, nodes.ToString());
        using (var doc = JsonDocument.Parse(nodes.Out))
        {
            Assert.Equal("(start)", doc.RootElement[0].GetProperty("node").GetString());
            Assert.Contains(doc.RootElement.EnumerateArray(), r => r.GetProperty("node").GetString()!.Contains(" > ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("--order", "5", "--order 5")]
    [InlineData("--bright-paths", "0", "--bright-paths 0")]
    [InlineData("--touch", "pages", "--touch pages")]
    public async Task Bad_graph_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var result = await CliRun.Run("graph", "--db", _temp.File("none.duckdb"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
