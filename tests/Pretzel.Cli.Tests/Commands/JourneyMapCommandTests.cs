using System.Text.Json;
using System.Xml.Linq;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel journey-map</c> on the demo: the stage numbers of <c>pretzel stages</c>, the touchpoints, and the shareable documents.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class JourneyMapCommandTests : IDisposable
{
    private static readonly string[] JourneyStages =
        ["no_problem", "problem_aware", "researching_solutions", "choosing_a_solution", "searching_a_vendor", "checking_the_vendor", "deal", "use", "repeat_purchase", "loyalty"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task On_the_demo_the_map_has_the_stage_numbers_and_the_channels_used_at_each_stage()
    {
        var db = await Demo();
        var result = await CliRun.Run("journey-map", "--db", db, "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["index", "stage", "reached", "current", "conversion_to_next", "median_days_in_stage", "touchpoints", "gap"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(JourneyStages, rows.Select(r => r.GetProperty("stage").GetString()));

        // reached, current and conversion are the stage report's.
        var stages = await CliRun.Run("stages", "--db", db, "--model", "journey", "--format", "json");
        using var stageDoc = JsonDocument.Parse(stages.Out);
        var stageRows = stageDoc.RootElement.EnumerateArray().ToList();
        for (var k = 0; k < rows.Count; k++)
        {
            Assert.Equal(stageRows[k].GetProperty("reached").GetInt64(), rows[k].GetProperty("reached").GetInt64());
            Assert.Equal(stageRows[k].GetProperty("current").GetInt64(), rows[k].GetProperty("current").GetInt64());
            if (k + 1 < rows.Count && stageRows[k + 1].GetProperty("conversion_from_previous").ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(stageRows[k + 1].GetProperty("conversion_from_previous").GetDouble(), rows[k].GetProperty("conversion_to_next").GetDouble());
            }
        }

        // Search brings people to the blog; the newsletter keeps reaching customers after their first purchase.
        string Touches(string stage) => rows.Single(r => r.GetProperty("stage").GetString() == stage).GetProperty("touchpoints").GetString()!;
        Assert.Contains("organic_search", Touches("problem_aware"), StringComparison.Ordinal);
        Assert.Contains("email", Touches("deal"), StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal(r.GetProperty("touchpoints").GetString() == "", r.GetProperty("gap").GetBoolean()));
        Assert.All(rows, r => Assert.True(r.GetProperty("touchpoints").GetString()!.Split(" · ", StringSplitOptions.RemoveEmptyEntries).Length <= 5));

        // Event touchpoints: the people touched by sales_call at checking_the_vendor are at most the people with a call.
        var events = await CliRun.Run("journey-map", "--db", db, "--touch", "event", "--top", "20", "--format", "json");
        Assert.True(events.Exit == 0, events.ToString());
        using var eventDoc = JsonDocument.Parse(events.Out);
        var checking = eventDoc.RootElement.EnumerateArray().Single(r => r.GetProperty("stage").GetString() == "checking_the_vendor").GetProperty("touchpoints").GetString()!;
        var calls = checking.Split(" · ").Single(t => t.StartsWith("sales_call ", StringComparison.Ordinal));
        var callers = await CliRun.Run("sql", "--db", db, "--format", "csv", "SELECT count(DISTINCT person_id) FROM person_events WHERE event = 'sales_call'");
        Assert.InRange(long.Parse(calls["sales_call ".Length..], System.Globalization.CultureInfo.InvariantCulture), 1, long.Parse(callers.Out.Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_html_and_markdown_maps_name_every_stage_and_escape_names()
    {
        var db = await Demo();
        var file = _temp.File("map.html");
        var html = await CliRun.Run("journey-map", "--db", db, "--format", "html", "--out", file);
        Assert.True(html.Exit == 0, html.ToString());
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith("<!DOCTYPE html>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", text, StringComparison.Ordinal);
        var doc = XDocument.Parse(text.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        var cells = doc.Descendants("td").Select(td => td.Value).ToList();
        Assert.All(JourneyStages, s => Assert.Contains(cells, c => c.Contains(s, StringComparison.Ordinal)));

        // A model whose names hold markup: escaped in HTML and Markdown alike.
        var model = _temp.Write("model.yaml", """
            name: "<i>mine</i>"
            stages:
              - name: "<b>look</b>"
                match:
                  - type: page
              - name: "buy & keep"
                match:
                  - event: purchase
              - name: never
                match:
                  - event: no_such_event
            """);
        var escaped = await CliRun.Run("journey-map", "--db", db, "--model", model, "--format", "html");
        Assert.True(escaped.Exit == 0, escaped.ToString());
        Assert.Contains("&lt;b&gt;look&lt;/b&gt;", escaped.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", escaped.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", escaped.Out, StringComparison.Ordinal);
        var parsed = XDocument.Parse(escaped.Out.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        Assert.Contains(parsed.Descendants("td"), td => td.Value.Contains("buy & keep", StringComparison.Ordinal));
        var gap = Assert.Single(parsed.Descendants("tr"), tr => (string?)tr.Attribute("class") == "gap");
        Assert.StartsWith("3. never", gap.Elements("td").First().Value, StringComparison.Ordinal);

        var md = await CliRun.Run("journey-map", "--db", db, "--format", "md");
        Assert.True(md.Exit == 0, md.ToString());
        Assert.StartsWith("# Customer-journey map: journey", md.Out, StringComparison.Ordinal);
        Assert.All(JourneyStages, s => Assert.Contains($"| {s} |", md.Out, StringComparison.Ordinal));

        var bad = await CliRun.Run("journey-map", "--db", db, "--touch", "page");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--touch page", bad.Error, StringComparison.Ordinal);
    }

    private async Task<string> Demo()
    {
        var db = _temp.File("demo.duckdb");
        var demo = await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv");
        Assert.True(demo.Exit == 0, demo.ToString());
        return db;
    }
}
