using System.Globalization;
using System.Text;
using System.Text.Json;
using Pretzel.Analytics.Attribution;

namespace Pretzel.Cli.Tests.Commands;

/// <summary>
/// <c>pretzel attribution</c>: ChannelAttribution's sample data (every applicable model for its 12 channels, the same
/// output every run), the demo store against its own exported path table, bad rows, and bad options.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AttributionCommandTests : IDisposable
{
    private static readonly string[] FileModels = ["first_touch", "last_touch", "last_non_direct", "linear", "position_based", "markov", "shapley"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The first 2,099 rows of ChannelAttribution's Data.csv (all 12 channels), kept in the repository
    /// (tests/data/channelattribution, with its licence note) so that the test runs wherever the repository is.
    /// </summary>
    private static string SampleData()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Pretzel.slnx")))
        {
            folder = folder.Parent;
        }

        Assert.True(folder is not null, $"no folder above {AppContext.BaseDirectory} holds Pretzel.slnx: cannot find the repository root");
        var file = Path.Combine(folder!.FullName, "tests", "data", "channelattribution", "Data-sample.csv");
        Assert.True(File.Exists(file), $"ChannelAttribution's sample path table is missing: expected {file} (see NOTICE.md beside it)");
        return file;
    }

    [Fact]
    public async Task The_channel_attribution_sample_gets_every_applicable_model_for_its_12_channels_the_same_every_run()
    {
        var file = SampleData();
        var first = await CliRun.Run("attribution", "--paths", file, "--format", "json");
        Assert.True(first.Exit == 0, first.ToString());
        Assert.Equal("", first.Error);
        var again = await CliRun.Run("attribution", "--paths", file, "--format", "json");
        Assert.Equal(first.Out, again.Out);

        var lines = File.ReadLines(file).Skip(1).Select(l => l.Split(';')).ToList();
        var totalConversions = lines.Sum(f => double.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        var totalValue = lines.Sum(f => double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture));
        using var doc = JsonDocument.Parse(first.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(FileModels.Length * 12, rows.Count);
        Assert.Equal(FileModels, rows.Select(r => r.GetProperty("model").GetString()).Distinct());
        string[] channels = ["alpha", "beta", "delta", "epsilon", "eta", "gamma", "iota", "kappa", "lambda", "mi", "theta", "zeta"];
        foreach (var model in rows.GroupBy(r => r.GetProperty("model").GetString()))
        {
            Assert.Equal(channels, model.Select(r => r.GetProperty("channel").GetString()).Order(StringComparer.Ordinal));

            // Every model hands out all the file's conversions and value.
            Assert.Equal(totalConversions, model.Sum(r => r.GetProperty("conversions").GetDouble()), 3);
            Assert.Equal(totalValue, model.Sum(r => r.GetProperty("value").GetDouble()), 3);
            Assert.Equal(1, model.Sum(r => r.GetProperty("share").GetDouble()), 4);
            var conversions = model.Select(r => r.GetProperty("conversions").GetDouble()).ToList();
            Assert.Equal(conversions.OrderDescending(), conversions);
            Assert.All(model, r => Assert.Equal(model.Key == "markov" ? JsonValueKind.Number : JsonValueKind.Null, r.GetProperty("removal_effect").ValueKind));
        }

        // First touch credits whole journeys.
        Assert.All(rows.Where(r => r.GetProperty("model").GetString() == "first_touch"), r => Assert.Equal(0, r.GetProperty("conversions").GetDouble() % 1));
        var markov = rows.Where(r => r.GetProperty("model").GetString() == "markov").ToList();
        Assert.All(markov, r => Assert.InRange(r.GetProperty("removal_effect").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task The_demo_store_and_its_exported_path_table_give_the_same_rows_and_the_store_adds_time_decay()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "1500", "--format", "csv")).Exit);
        var file = _temp.File("paths.csv");
        var exported = await CliRun.Run("paths", "--db", db, "--to", "2026-01-01", "--export", file);
        Assert.True(exported.Exit == 0, exported.ToString());

        var fromStore = await CliRun.Run("attribution", "--db", db, "--to", "2026-01-01", "--markov-order", "2", "--format", "csv");
        Assert.True(fromStore.Exit == 0, fromStore.ToString());
        var fromFile = await CliRun.Run("attribution", "--paths", file, "--markov-order", "2", "--format", "csv");
        Assert.True(fromFile.Exit == 0, fromFile.ToString());
        var storeLines = Lines(fromStore.Out);
        Assert.Contains(storeLines, l => l.StartsWith("time_decay,", StringComparison.Ordinal));
        Assert.Equal(storeLines.Where(l => !l.StartsWith("time_decay,", StringComparison.Ordinal)), Lines(fromFile.Out));

        // Time decay hands out the same conversions as the rest.
        var totals = storeLines.Skip(1).Select(l => l.Split(',')).GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Sum(f => double.Parse(f[2], CultureInfo.InvariantCulture)));
        Assert.True(totals["first_touch"] > 0);
        Assert.Equal(totals["first_touch"], totals["time_decay"], 3);
        Assert.Equal(totals["first_touch"], totals["markov"], 3);

        var compare = await CliRun.Run("attribution", "--db", db, "--to", "2026-01-01", "--compare", "--models", "shapley,first_touch", "--format", "csv");
        Assert.True(compare.Exit == 0, compare.ToString());
        Assert.Equal("channel,first_touch_conversions,shapley_conversions", Lines(compare.Out)[0]);
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_line_and_the_good_ones_used()
    {
        var text = new StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
        text.Append("a > b,2,20,1\n");
        for (var i = 0; i < 25; i++)
        {
            text.Append("a > > b,1,1,1\n");
        }

        text.Append("b,1,abc,0\nb,1,5,2\n");
        var file = _temp.Write("bad.csv", text.ToString());
        var result = await CliRun.Run("attribution", "--paths", file, "--models", "first_touch", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains($"{file}: line 3: the path 'a > > b' has an empty touch", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 23:", result.Error, StringComparison.Ordinal);
        Assert.Contains("… and 6 more rejected rows", result.Error, StringComparison.Ordinal);
        Assert.Contains("26 rows rejected, 2 used", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal([("a", 2.0), ("b", 1.0)], doc.RootElement.EnumerateArray().Select(r => (r.GetProperty("channel").GetString(), r.GetProperty("conversions").GetDouble())));

        var none = await CliRun.Run("attribution", "--paths", _temp.Write("none.csv", "path;total_conversions\n;1\n"));
        Assert.Equal(1, none.Exit);
        Assert.Contains("line 2: the path is empty", none.Error, StringComparison.Ordinal);
        Assert.Contains("no usable rows", none.Error, StringComparison.Ordinal);

        var header = await CliRun.Run("attribution", "--paths", _temp.Write("header.csv", "route;conversions\na;1\n"));
        Assert.Equal(1, header.Exit);
        Assert.Contains("line 1: expected a header naming path and total_conversions", header.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_touch_separator_can_be_given()
    {
        var file = _temp.Write("pipes.tsv", "path\ttotal_conversions\ttotal_null\nsearch | email\t3\t1\nemail\t1\t0\n");
        var result = await CliRun.Run("attribution", "--paths", file, "--path-sep", "|", "--models", "last_touch,linear", "--format", "csv");
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(
            ["model,channel,conversions,value,share,removal_effect", "last_touch,email,4,,1,", "last_touch,search,0,,0,", "linear,email,2.5,,0.625,", "linear,search,1.5,,0.375,"],
            Lines(result.Out));
    }

    [Theory]
    [InlineData("--models", "time_decay", "needs the time of every touch")]
    [InlineData("--models", "luck", "--models luck")]
    [InlineData("--markov-order", "5", "--markov-order 5: expected 1..4")]
    [InlineData("--position-weights", "1,2", "--position-weights 1,2")]
    [InlineData("--touch", "event", "--touch cuts journeys from the store")]
    [InlineData("--collapse", null, "--collapse cuts journeys from the store")]
    public async Task Options_a_path_table_file_cannot_take_are_usage_errors(string option, string? value, string message)
    {
        var file = _temp.Write("p.csv", "path;total_conversions\na;1\n");
        var result = await CliRun.Run(value is null ? ["attribution", "--paths", file, option] : ["attribution", "--paths", file, option, value]);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--path-sep", ">", "--path-sep applies to a path table file")]
    [InlineData("--half-life", "0d", "--half-life 0d")]
    [InlineData("--lookback", "forever", "--lookback forever")]
    [InlineData("--paths", "/nonexistent/paths.csv", "no such file")]
    public async Task Bad_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var result = await CliRun.Run("attribution", "--db", _temp.File("none.duckdb"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_models_the_help_lists_are_the_models_computed()
    {
        Assert.Equal(FileModels, AttributionModels.Parse(null, withTimes: false));
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
