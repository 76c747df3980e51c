using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>--by segment:rfm|abc_xyz</c> on funnel, paths and attribution: the rows once per segment, adding up to the whole.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class BySegmentCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Funnel_paths_and_attribution_by_segment_add_up_to_the_whole()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        async Task<List<JsonElement>> Rows(params string[] args)
        {
            var result = await CliRun.Run([.. args, "--db", db, "--format", "json"]);
            Assert.True(result.Exit == 0, result.ToString());
            return [.. JsonDocument.Parse(result.Out).RootElement.EnumerateArray()];
        }

        var whole = await Rows("funnel", "--steps", "pricing,signup,purchase");
        var bySegment = await Rows("funnel", "--steps", "pricing,signup,purchase", "--by", "segment:rfm");
        Assert.Contains(bySegment, r => r.GetProperty("segment").GetString() == "(none)");
        Assert.Contains(bySegment, r => r.GetProperty("segment").GetString() == "Champions");
        for (var step = 1; step <= 3; step++)
        {
            Assert.Equal(whole[step - 1].GetProperty("entered").GetInt64(), bySegment.Where(r => r.GetProperty("step").GetInt32() == step).Sum(r => r.GetProperty("entered").GetInt64()));
        }

        var credit = await Rows("attribution", "--models", "linear");
        var creditBySegment = await Rows("attribution", "--models", "linear", "--by", "segment:abc_xyz");
        Assert.Equal(credit.Sum(r => r.GetProperty("conversions").GetDouble()), creditBySegment.Sum(r => r.GetProperty("conversions").GetDouble()), 6);

        var paths = await Rows("paths", "--by", "segment:rfm", "--top", "3");
        Assert.Equal(whole.Count == 3 ? (await Rows("paths", "--top", "3")).Sum(r => r.GetProperty("journeys").GetInt64()) : 0, paths.Sum(r => r.GetProperty("journeys").GetInt64()));

        // A custom segment of the project file: its people, then everyone else.
        var project = _temp.Write("pretzel.yaml", "segments:\n  emailed: \"channel = 'email'\"\n");
        var emailed = await Rows("funnel", "--steps", "pricing,signup,purchase", "--by", "segment:emailed", "--project", project);
        Assert.Equal(["emailed", "(none)"], emailed.Select(r => r.GetProperty("segment").GetString()).Distinct());
        Assert.Equal(whole[0].GetProperty("entered").GetInt64(), emailed.Where(r => r.GetProperty("step").GetInt32() == 1).Sum(r => r.GetProperty("entered").GetInt64()));
        var withEmail = await CliRun.Run("sql", "--db", db, "SELECT count(DISTINCT person_id) AS n FROM person_events WHERE channel = 'email' AND person_id IN (SELECT person_id FROM person_events WHERE event = 'pricing')", "--format", "csv");
        Assert.Equal(long.Parse(withEmail.Out.Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture),
            emailed.Single(r => r.GetProperty("segment").GetString() == "emailed" && r.GetProperty("step").GetInt32() == 1).GetProperty("entered").GetInt64());
        var retention = await Rows("retention", "--start-event", "purchase", "--return-event", "purchase", "--by", "segment:emailed", "--project", project);
        Assert.Equal("emailed", retention[0].GetProperty("segment").GetString());

        var bad = await CliRun.Run("paths", "--db", db, "--by", "segment:zodiac");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("segment:rfm", bad.Error, StringComparison.Ordinal);
        var export = await CliRun.Run("paths", "--db", db, "--by", "segment:rfm", "--export", _temp.File("x.csv"));
        Assert.Equal(2, export.Exit);
    }
}
