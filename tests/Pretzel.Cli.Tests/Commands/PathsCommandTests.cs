using System.Text.Json;
using Pretzel.Analytics.Paths;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel paths</c> on the demo data: ranked paths that add up, and the ChannelAttribution export.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PathsCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Paths_on_the_demo_rank_and_add_up_and_export_a_table_that_reads_back()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        var listed = await CliRun.Run("paths", "--db", db, "--sort", "conversions", "--top", "5", "--format", "json");
        Assert.True(listed.Exit == 0, listed.ToString());
        using var doc = JsonDocument.Parse(listed.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal("(other paths)", rows[^1].GetProperty("path").GetString());
        var conversions = rows.Take(5).Select(r => r.GetProperty("conversions").GetInt64()).ToList();
        Assert.Equal(conversions.OrderDescending(), conversions);

        var file = _temp.File("p.csv");
        var exported = await CliRun.Run("paths", "--db", db, "--export", file);
        Assert.True(exported.Exit == 0, exported.ToString());
        var read = Pretzel.Analytics.Attribution.AttributionPathFile.Read(file);
        Assert.Empty(read.Errors);
        var table = read.Table.Rows();
        Assert.Equal(rows.Sum(r => r.GetProperty("conversions").GetInt64()), table.Sum(r => r.Conversions));
        Assert.Equal(rows.Sum(r => r.GetProperty("nulls").GetInt64()), table.Sum(r => r.Nulls));
        Assert.Contains("paths (", exported.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--touch", "page", "--touch page")]
    [InlineData("--lookback", "forever", "--lookback forever")]
    [InlineData("--max-length", "0", "--max-length must be at least 1")]
    [InlineData("--sort", "fame", "--sort fame")]
    public async Task Bad_path_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var result = await CliRun.Run("paths", "--db", _temp.File("none.duckdb"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
