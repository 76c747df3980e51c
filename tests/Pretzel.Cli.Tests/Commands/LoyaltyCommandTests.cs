using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel loyalty</c> on the demo: the pyramid accounts for every person, the movements for everyone known at the end.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LoyaltyCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_pyramid_and_the_movements_on_the_demo()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);
        var result = await CliRun.Run("loyalty", "--db", db, "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["prospect", "first_time_customer", "repeat_customer", "loyal", "advocate", "refused", "churned"], rows.Select(r => r.GetProperty("level").GetString()));
        var people = await Scalar(db, "SELECT count(DISTINCT person_id) FROM person_events");
        Assert.Equal(people, rows.Sum(r => r.GetProperty("people").GetInt64()));
        Assert.Equal(1.0, rows.Sum(r => r.GetProperty("share").GetDouble()), 4);
        Assert.True(rows.Single(r => r.GetProperty("level").GetString() == "advocate").GetProperty("people").GetInt64() > 0, "the demo plants advocates");

        // Buyers, counted independently: every customer level holds buyers only; advocates may or may not have bought.
        long Level(string name) => rows.Single(r => r.GetProperty("level").GetString() == name).GetProperty("people").GetInt64();
        var buyers = await Scalar(db, "SELECT count(DISTINCT person_id) FROM person_events WHERE event IN ('purchase', 'order_completed')");
        var customers = Level("first_time_customer") + Level("repeat_customer") + Level("loyal") + Level("churned");
        Assert.InRange(buyers, customers, customers + Level("advocate"));

        var moves = await CliRun.Run("loyalty", "--db", db, "--from", "2025-06-30", "--to", "2026-01-01", "--format", "json");
        Assert.True(moves.Exit == 0, moves.ToString());
        using var matrix = JsonDocument.Parse(moves.Out);
        var cells = matrix.RootElement.EnumerateArray().ToList();
        Assert.Equal(people, cells.Sum(r => r.GetProperty("people").GetInt64()));
        Assert.Contains(cells, r => r.GetProperty("from_level").GetString() == "(new)");

        var bad = await CliRun.Run("loyalty", "--db", db, "--repeat-purchases", "4", "--loyal-purchases", "3");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--loyal-purchases", bad.Error, StringComparison.Ordinal);
    }

    private static async Task<long> Scalar(string db, string sql)
    {
        var result = await CliRun.Run("sql", "--db", db, sql, "--format", "csv");
        Assert.True(result.Exit == 0, result.ToString());
        return long.Parse(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
