using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel retention</c> on a shop export and on the demo.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RetentionCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Retention_on_a_shop_export_counts_monthly_cohorts_of_first_purchases_in_the_projects_time_zone()
    {
        var db = _temp.File("retail.duckdb");
        var pattern = RepositoryData.File("online_retail", "online_retail_part*_head.csv");
        var imported = await CliRun.Run("import", pattern, "--db", db, "--rejects", _temp.File("rejects.csv"), "--select",
            "SELECT 'retail-' || InvoiceNo AS message_id, CASE WHEN InvoiceNo LIKE 'C%' THEN 'refund' ELSE 'purchase' END AS event, min(InvoiceDate) AT TIME ZONE 'Europe/London' AS timestamp, CAST(CustomerID AS VARCHAR) AS user_id, round(sum(Quantity * UnitPrice), 2) AS revenue FROM input GROUP BY InvoiceNo, CustomerID");
        Assert.True(imported.Exit == 0, imported.ToString());

        // The samples hold December 2010 and December 2011: a cohort for each month in between, most of them empty.
        var result = await CliRun.Run("retention", "--db", db, "--start-event", "purchase", "--return-event", "purchase", "--time-zone", "Europe/London", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["cohort", "period", "cohort_size", "active", "retention", "revenue", "cumulative_revenue_per_person", "revenue_retention"], rows[0].EnumerateObject().Select(p => p.Name));
        var cohorts = rows.Select(r => r.GetProperty("cohort").GetString()).Distinct().ToList();
        Assert.Equal("2010-12", cohorts[0]);
        Assert.Equal(13, rows.Count(r => r.GetProperty("cohort").GetString() == "2010-12"));

        // Cohort sizes: every buyer once, counted independently in SQL.
        var buyers = await CliRun.Run("sql", "--db", db, "SELECT count(DISTINCT person_id) AS n FROM person_events WHERE event = 'purchase'", "--format", "csv");
        var n = long.Parse(buyers.Out.Split('\n')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(n, rows.Where(r => r.GetProperty("period").GetInt32() == 0).Sum(r => r.GetProperty("cohort_size").GetInt64()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("retention").GetDouble(), 0, 1));

        var fit = await CliRun.Run("retention", "--db", db, "--fit", "sbg", "--cohort", "year");
        Assert.Equal(2, fit.Exit);
        Assert.Contains("--cohort year", fit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_demo_the_summary_and_the_sbg_fit_of_monthly_renewals_come_out()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "3000", "--format", "csv")).Exit);
        var summary = await CliRun.Run("retention", "--db", db, "--start-event", "purchase", "--return-event", "purchase", "--summary", "--by", "first_touch_channel", "--format", "json");
        Assert.True(summary.Exit == 0, summary.ToString());
        using var doc = JsonDocument.Parse(summary.Out);
        var all = doc.RootElement.EnumerateArray().Where(r => r.GetProperty("cohort").GetString() == "(all)").ToList();
        Assert.Contains(all, r => r.GetProperty("first_touch_channel").GetString() == "organic_search");
        Assert.All(all, r => Assert.InRange(r.GetProperty("repeat_rate").GetDouble(), 0, 1));

        // By RFM segment: every buyer's cohort lands in their segment, and the segments add up to all buyers.
        var bySegment = await CliRun.Run("retention", "--db", db, "--start-event", "purchase", "--return-event", "purchase", "--by", "segment:rfm", "--format", "json");
        Assert.True(bySegment.Exit == 0, bySegment.ToString());
        using var segmented = JsonDocument.Parse(bySegment.Out);
        var cells = segmented.RootElement.EnumerateArray().Where(r => r.GetProperty("period").GetInt32() == 0).ToList();
        Assert.Contains(cells, r => r.GetProperty("segment").GetString() == "Champions");
        var plain = await CliRun.Run("retention", "--db", db, "--start-event", "purchase", "--return-event", "purchase", "--format", "json");
        using var whole = JsonDocument.Parse(plain.Out);
        Assert.Equal(whole.RootElement.EnumerateArray().Where(r => r.GetProperty("period").GetInt32() == 0).Sum(r => r.GetProperty("cohort_size").GetInt64()),
            cells.Sum(r => r.GetProperty("cohort_size").GetInt64()));

        var fit = await CliRun.Run("retention", "--db", db, "--start-event", "purchase", "--return-event", "purchase", "--fit", "sbg", "--format", "json");
        Assert.True(fit.Exit == 0, fit.ToString());
        using var rows = JsonDocument.Parse(fit.Out);
        var first = rows.RootElement[0];
        Assert.True(first.GetProperty("alpha").GetDouble() > 0 && first.GetProperty("beta").GetDouble() > 0);
        var survival = rows.RootElement.EnumerateArray().Select(r => r.GetProperty("fitted_survival").GetDouble()).ToList();
        Assert.Equal(1.0, survival[0]);
        Assert.True(survival.Zip(survival.Skip(1)).All(p => p.Second <= p.First), "survival never rises");
    }
}
