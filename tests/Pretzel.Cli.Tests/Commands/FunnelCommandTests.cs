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

    [Fact]
    public async Task Steps_may_be_stages_of_a_model_and_conditions_on_properties()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        var stages = await CliRun.Run("funnel", "--db", db, "--model", "four_step", "--steps", "awareness,interest,decision,action", "--window", "30d", "--format", "json");
        Assert.True(stages.Exit == 0, stages.ToString());
        using var doc = JsonDocument.Parse(stages.Out);
        var entered = doc.RootElement.EnumerateArray().Select(r => r.GetProperty("entered").GetInt64()).ToList();
        Assert.Equal(4, entered.Count);
        Assert.True(entered[3] > 0 && entered[0] > entered[3], string.Join(",", entered));

        // Every purchase has a plan: the plans split the purchases between them.
        async Task<long> Buyers(string step)
        {
            var result = await CliRun.Run("funnel", "--db", db, "--steps", $"signup,{step}", "--window", "90d", "--format", "json");
            Assert.True(result.Exit == 0, result.ToString());
            using var rows = JsonDocument.Parse(result.Out);
            return rows.RootElement[1].GetProperty("entered").GetInt64();
        }

        var all = await Buyers("purchase");
        var team = await Buyers("purchase&properties.plan=team");
        var notTeam = await Buyers("purchase&properties.plan!=team");
        Assert.True(team > 0 && notTeam > 0 && team < all, $"{team} {notTeam} {all}");
        Assert.True(team + notTeam >= all, "each buyer bought on some plan");
    }

    [Theory]
    [InlineData("--model", "nonesuch", "nonesuch")]
    [InlineData("--steps", "a,b&properties.amount>lots", "not a number")]
    [InlineData("--steps", "purchase", "at least two steps")]
    [InlineData("--window", "7 days", "--window 7 days")]
    [InlineData("--order", "sideways", "--order sideways")]
    [InlineData("--step-window", "9=1d", "--step-window 9")]
    [InlineData("--status", "dropped", "--status needs --people")]
    [InlineData("--people", "2", "--status (missing)")]
    public async Task Bad_funnel_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var args = option == "--steps" ? new[] { "funnel", "--db", _temp.File("none.duckdb"), option, value } : ["funnel", "--db", _temp.File("none.duckdb"), "--steps", "a,b", option, value];
        var result = await CliRun.Run(args);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}

/// <summary><c>pretzel stages</c> on the demo data.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class StagesCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_journey_model_on_the_demo_shows_skips_regressions_and_refusals()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "3000", "--format", "csv")).Exit);

        var result = await CliRun.Run("stages", "--db", db, "--model", "journey", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(11, rows.Count);
        Assert.Equal("refusal", rows[^1].GetProperty("stage").GetString());
        Assert.True(rows[^1].GetProperty("reached").GetInt64() > 0);
        var stages = rows.Take(10).ToList();
        Assert.Contains(stages, r => r.GetProperty("skipped").GetInt64() > 0);
        Assert.Contains(stages, r => r.GetProperty("regressed").GetInt64() > 0);
        Assert.Contains(stages, r => r.GetProperty("refused").GetInt64() > 0);
        Assert.Equal(stages.Sum(r => r.GetProperty("current").GetInt64()),
            long.Parse((await CliRun.Run("sql", "--db", db, "--format", "csv", "select count(distinct person_id) from person_events where (type in ('page', 'screen') and event in ('home','careers','blog','features','docs','pricing','demo','login','account')) or event in ('email_opened','newsletter_signup','email_clicked','product_viewed','demo_requested','event_attended','sales_call','sales_meeting','sign_up','trial_started','add_to_cart','checkout_started','purchase','support_contact','referral_sent','review_left') ")).Out.Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_unknown_model_is_a_usage_error_listing_the_built_in_ones()
    {
        var result = await CliRun.Run("stages", "--db", _temp.File("x.duckdb"), "--model", "nope");
        Assert.Equal(2, result.Exit);
        Assert.Contains("aida, aidas, aarrr, four_step, journey", result.Error, StringComparison.Ordinal);
    }
}
