using System.Globalization;
using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel aarrr</c> on the demo, every column counted again in SQL, and the project file's <c>aarrr:</c> rules.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AarrrCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task On_the_demo_each_month_counts_what_sql_counts()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);
        var result = await CliRun.Run("aarrr", "--db", db, "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["period", "acquired", "activated", "activation_rate", "retained", "revenue", "paying", "referrers", "referred"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal([.. Enumerable.Range(1, 12).Select(m => $"2025-{m:D2}")], rows.Select(r => r.GetProperty("period").GetString()));
        Dictionary<string, long> Column(string name) => rows.ToDictionary(r => r.GetProperty("period").GetString()!, r => r.GetProperty(name).GetInt64());

        // Each column, counted independently per month (UTC: no project file).
        Assert.Equal(await PerMonth(db, "SELECT strftime(min(timestamp), '%Y-%m') AS m, person_id FROM person_events WHERE person_id IS NOT NULL GROUP BY person_id"), Column("acquired"));
        Assert.Equal(await PerMonth(db, "SELECT strftime(min(timestamp), '%Y-%m') AS m, person_id FROM person_events WHERE event = 'sign_up' GROUP BY person_id"), Column("activated"));
        Assert.Equal(await PerMonth(db, "SELECT DISTINCT strftime(timestamp, '%Y-%m') AS m, person_id FROM person_events WHERE revenue > 0"), Column("paying"));
        Assert.Equal(await PerMonth(db, "SELECT DISTINCT strftime(timestamp, '%Y-%m') AS m, person_id FROM person_events WHERE event = 'referral_sent'"), Column("referrers"));
        Assert.Equal(await PerMonth(db, """
            SELECT DISTINCT strftime(e.timestamp, '%Y-%m') AS m, e.person_id FROM person_events e
            JOIN (SELECT person_id, min(timestamp) AS first FROM person_events WHERE person_id IS NOT NULL GROUP BY person_id) f
              ON e.person_id = f.person_id AND strftime(e.timestamp, '%Y-%m') > strftime(f.first, '%Y-%m')
            """), Column("retained"));
        Assert.Equal(await PerMonth(db, """
            SELECT strftime(min(timestamp), '%Y-%m') AS m, person_id FROM person_events WHERE person_id IS NOT NULL GROUP BY person_id
            HAVING arg_min(channel, CASE WHEN channel IS NULL THEN NULL ELSE timestamp END) = 'word_of_mouth'
            """), Column("referred"));
        var revenue = await Sql(db, "SELECT strftime(timestamp, '%Y-%m') AS m, round(sum(revenue), 2) AS r FROM person_events WHERE revenue IS NOT NULL AND person_id IS NOT NULL GROUP BY 1");
        foreach (var row in rows)
        {
            var month = row.GetProperty("period").GetString()!;
            Assert.Equal(double.Parse(revenue.GetValueOrDefault(month, "0"), CultureInfo.InvariantCulture), row.GetProperty("revenue").GetDouble(), 2);
            Assert.InRange(row.GetProperty("activation_rate").GetDouble(), 0, 1);
        }

        Assert.Equal(0, Column("retained")["2025-01"]);
        Assert.True(Column("referred").Values.Sum() > 0 && Column("referrers").Values.Sum() > 0, result.Out);
    }

    [Fact]
    public async Task The_project_files_rules_and_time_zone_are_used_and_a_bad_key_is_named()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);
        var project = _temp.File("pretzel.yaml");
        await File.WriteAllTextAsync(project, """
            time_zone: Pacific/Auckland
            aarrr:
              acquisition:
                events: sign_up
              activation:
                events: [trial_started]
              revenue:
                events: [purchase]
            """);
        var result = await CliRun.Run("aarrr", "--db", db, "--project", project, "--period", "week", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        long Sum(string column) => rows.Sum(r => r.GetProperty(column).GetInt64());
        Assert.Equal(await Count(db, "SELECT count(DISTINCT person_id) FROM person_events WHERE event = 'sign_up'"), Sum("acquired"));
        Assert.Equal(await Count(db, "SELECT count(DISTINCT person_id) FROM person_events WHERE event = 'trial_started'"), Sum("activated"));
        Assert.Equal(await Count(db, "SELECT round(sum(revenue)) FROM person_events WHERE event = 'purchase'"), (long)Math.Round(rows.Sum(r => r.GetProperty("revenue").GetDouble())));
        // Weeks start on Mondays in Auckland: the first row is the week holding 1 January 2025 there.
        Assert.Equal("2024-12-30", rows[0].GetProperty("period").GetString());

        await File.WriteAllTextAsync(project, "aarrr:\n  activation:\n    event: [trial_started]\n");
        var bad = await CliRun.Run("aarrr", "--db", db, "--project", project);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("line 3: aarrr.activation.event: unknown key; did you mean 'events'?", bad.Error, StringComparison.Ordinal);

        var period = await CliRun.Run("aarrr", "--db", db, "--period", "year");
        Assert.Equal(2, period.Exit);
        Assert.Contains("--period year", period.Error, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, long>> PerMonth(string db, string people)
    {
        var counts = await Sql(db, $"SELECT m, count(*) AS n FROM ({people}) GROUP BY m");
        return counts.ToDictionary(x => x.Key, x => long.Parse(x.Value, CultureInfo.InvariantCulture)) is var d
            ? Enumerable.Range(1, 12).Select(m => $"2025-{m:D2}").ToDictionary(m => m, m => d.GetValueOrDefault(m))
            : [];
    }

    private static async Task<Dictionary<string, string>> Sql(string db, string sql)
    {
        var result = await CliRun.Run("sql", "--db", db, "--format", "csv", sql);
        Assert.True(result.Exit == 0, result.ToString());
        return result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
    }

    private static async Task<long> Count(string db, string sql)
    {
        var result = await CliRun.Run("sql", "--db", db, "--format", "csv", sql);
        Assert.True(result.Exit == 0, result.ToString());
        return (long)double.Parse(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);
    }
}
