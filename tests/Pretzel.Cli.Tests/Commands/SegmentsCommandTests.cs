using System.Globalization;
using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel segments</c> on the demo: every buyer in exactly one segment and one cell, counted independently in SQL.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SegmentsCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task On_the_demo_the_segments_hold_every_buyer_once_and_custom_segments_match_sql()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);
        var buyers = await Scalar(db, "SELECT count(DISTINCT person_id) FROM person_events WHERE event IN ('purchase', 'order_completed')");
        var revenue = await ScalarDouble(db, "SELECT sum(CASE WHEN event = 'refund' THEN -abs(revenue) ELSE revenue END) FROM person_events WHERE event IN ('purchase', 'order_completed', 'refund') AND revenue IS NOT NULL");
        Assert.True(buyers > 50, $"the demo should have buyers, got {buyers}");

        // RFM: the eleven named segments, every buyer in one of them, and all the revenue.
        var rfm = await Json("segments", "--db", db, "--format", "json");
        Assert.Equal(["segment", "people", "share", "revenue", "revenue_share", "avg_recency_days", "avg_frequency", "avg_monetary"], rfm[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising", "Need Attention", "About to Sleep", "At Risk",
            "Can't Lose Them", "Hibernating", "Lost"], rfm.Select(r => r.GetProperty("segment").GetString()));
        Assert.Equal(buyers, rfm.Sum(r => r.GetProperty("people").GetInt64()));
        Assert.Equal(revenue, rfm.Sum(r => r.GetProperty("revenue").GetDouble()), 2);
        Assert.Equal(1.0, rfm.Sum(r => r.GetProperty("share").GetDouble()), 5);

        // ABC/XYZ: nine cells, the same buyers; A holds at least 80 % of the revenue.
        var abc = await Json("segments", "--db", db, "--kind", "abc_xyz", "--format", "json");
        Assert.Equal(["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"], abc.Select(r => r.GetProperty("segment").GetString()));
        Assert.Equal(buyers, abc.Sum(r => r.GetProperty("people").GetInt64()));
        Assert.True(abc.Take(3).Sum(r => r.GetProperty("revenue_share").GetDouble()) >= 0.8);

        // One row per buyer, with the segment the summary counted them in.
        var people = await Json("segments", "--db", db, "--people", "--format", "json");
        Assert.Equal(buyers, people.Count);
        Assert.Equal(["person_id", "recency_days", "frequency", "monetary", "r", "f", "m", "fm", "segment"], people[0].EnumerateObject().Select(p => p.Name));
        foreach (var row in rfm)
        {
            Assert.Equal(row.GetProperty("people").GetInt64(), people.Count(p => p.GetProperty("segment").GetString() == row.GetProperty("segment").GetString()));
        }

        var purchases = await Scalar(db, "SELECT count(*) FROM person_events WHERE event IN ('purchase', 'order_completed')");
        Assert.Equal(purchases, people.Sum(p => p.GetProperty("frequency").GetInt64()));

        // A custom segment: the people with an event of revenue over 1000.
        var big = await Json("segments", "--db", db, "--segment", "big=revenue > 1000", "--format", "json");
        var row1 = Assert.Single(big);
        Assert.Equal("big", row1.GetProperty("segment").GetString());
        Assert.Equal(await Scalar(db, "SELECT count(DISTINCT person_id) FROM person_events WHERE revenue > 1000"), row1.GetProperty("people").GetInt64());
        Assert.True(row1.GetProperty("people").GetInt64() > 0);
        var bigPeople = await Json("segments", "--db", db, "--segment", "big=revenue > 1000", "--people", "--format", "json");
        Assert.Equal(row1.GetProperty("people").GetInt64(), bigPeople.Count);

        var bad = await CliRun.Run("segments", "--db", db, "--segment", "big=nosuch > 1");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("--segment big", bad.Error, StringComparison.Ordinal);
        var usage = await CliRun.Run("segments", "--db", db, "--abc", "95,80");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("--abc 95,80", usage.Error, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> Json(params string[] args)
    {
        var result = await CliRun.Run(args);
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<long> Scalar(string db, string sql) => (long)Math.Round(await ScalarDouble(db, sql));

    private static async Task<double> ScalarDouble(string db, string sql)
    {
        var result = await CliRun.Run("sql", "--db", db, sql, "--format", "csv");
        Assert.True(result.Exit == 0, result.ToString());
        return double.Parse(result.Out.Split('\n')[1].Trim(), CultureInfo.InvariantCulture);
    }
}
