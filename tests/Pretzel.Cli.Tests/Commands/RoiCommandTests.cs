using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel import-costs</c> and <c>pretzel roi</c> on the demo data.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RoiCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Roi_on_the_demo_shows_cost_revenue_cpa_roas_and_romi_per_paid_channel()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        var result = await CliRun.Run("roi", "--db", db, "--model", "markov", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["channel", "campaign", "cost", "conversions", "revenue", "cpa", "roas", "romi"], rows[0].EnumerateObject().Select(p => p.Name));
        foreach (var paid in (string[])["paid_search", "paid_social", "display", "affiliates"])
        {
            var row = rows.Single(r => r.GetProperty("channel").GetString() == paid);
            var cost = row.GetProperty("cost").GetDouble();
            var revenue = row.GetProperty("revenue").GetDouble();
            Assert.True(cost > 0, paid);
            Assert.Equal(revenue / cost, row.GetProperty("roas").GetDouble(), 4);
            Assert.Equal((revenue - cost) / cost, row.GetProperty("romi").GetDouble(), 4);
            Assert.Equal(cost / row.GetProperty("conversions").GetDouble(), row.GetProperty("cpa").GetDouble(), 4);
        }

        Assert.Equal(JsonValueKind.Null, rows.Single(r => r.GetProperty("channel").GetString() == "email").GetProperty("cost").ValueKind);

        // More spend on email, in another currency: an error, not a sum.
        var costs = _temp.File("costs.csv");
        await File.WriteAllTextAsync(costs, "date,channel,cost,currency\n2025-03-01,email,50,USD\n");
        var imported = await CliRun.Run("import-costs", costs, "--db", db, "--format", "json");
        Assert.True(imported.Exit == 0, imported.ToString());
        var mixed = await CliRun.Run("roi", "--db", db);
        Assert.Equal(1, mixed.Exit);
        Assert.Contains("EUR and USD", mixed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cost_file_with_bad_rows_keeps_the_good_ones_and_names_the_bad()
    {
        var db = _temp.File("costs.duckdb");
        var costs = _temp.File("costs.csv");
        await File.WriteAllTextAsync(costs, "date;channel;campaign;cost;currency\n2025-02-01;Paid Search;brand;12.5;EUR\nbad;x;;1;EUR\n");
        var result = await CliRun.Run("import-costs", costs, "--db", db, "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("line 3, column date: 'bad' is not a date", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal((1L, 1L), (doc.RootElement[0].GetProperty("entries").GetInt64(), doc.RootElement[0].GetProperty("rejected").GetInt64()));
        var again = await CliRun.Run("import-costs", costs, "--db", db, "--format", "json");
        Assert.Equal(0, again.Exit);
        var stored = await CliRun.Run("sql", "--db", db, "SELECT count(*) AS n, sum(cost) AS total FROM costs", "--format", "json");
        Assert.Contains("\"n\":1", stored.Out.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
