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

    /// <summary>Fader and Hardie (2007), Table 1 (tests/data/fader_hardie_2007, with its licence note): years 0–7 fitted, 8–12 held out.</summary>
    [Fact]
    public async Task The_sbg_fit_of_a_published_survival_table_gives_the_published_parameters()
    {
        var table = RepositoryData.File("fader_hardie_2007", "customer_retention.csv");
        var result = await CliRun.Run("retention", "--fit", "sbg", "--survival", table, "--cohort-size", "1000", "--fit-periods", "7", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        foreach (var (cohort, alpha, beta, ll) in new[] { ("regular", 0.704, 1.182, -1680.27), ("high_end", 0.668, 3.806, -1611.16) })
        {
            var mine = rows.Where(r => r.GetProperty("cohort").GetString() == cohort).ToList();
            Assert.Equal(13, mine.Count);
            Assert.Equal(alpha, mine[0].GetProperty("alpha").GetDouble(), 3);
            Assert.Equal(beta, mine[0].GetProperty("beta").GetDouble(), 3);
            Assert.Equal(ll, mine[0].GetProperty("log_likelihood").GetDouble(), 2);
            Assert.Equal(8, mine.Count(r => r.GetProperty("in_fit").GetBoolean()));
            // The holdout years stay within a few points of the projection, as the paper shows.
            Assert.All(mine.Skip(8), r => Assert.InRange(r.GetProperty("observed_survival").GetDouble() - r.GetProperty("fitted_survival").GetDouble(), -0.03, 0.03));
        }

        var bad = _temp.Write("bad.csv", "year,regular\n0,100\n1,sixty\n");
        var error = await CliRun.Run("retention", "--fit", "sbg", "--survival", bad, "--cohort-size", "1000");
        Assert.Equal(1, error.Exit);
        Assert.Contains("line 3, column regular: 'sixty'", error.Error, StringComparison.Ordinal);
        var noFit = await CliRun.Run("retention", "--survival", table);
        Assert.Equal(2, noFit.Exit);
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
