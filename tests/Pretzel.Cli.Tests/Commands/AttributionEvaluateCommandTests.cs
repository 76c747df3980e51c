using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel attribution --evaluate</c>: every model scored against the channel effects the demo plants.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AttributionEvaluateCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Evaluate_on_the_demo_scores_every_model_against_the_planted_channel_effects()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        var result = await CliRun.Run("attribution", "--db", db, "--evaluate", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("planted email:", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["model", "channel", "planted_conversions", "attributed_conversions", "error", "error_share"], rows[0].EnumerateObject().Select(p => p.Name));
        var models = rows.Select(r => r.GetProperty("model").GetString()).Distinct().ToList();
        Assert.Equal(["first_touch", "last_touch", "last_non_direct", "linear", "time_decay", "position_based", "markov", "shapley"], models);

        // The planted truth, counted independently in SQL: half the purchases of people with an email touch, all the
        // purchases of people whose first touch is word of mouth, nothing for display.
        var emailPurchases = await Scalar(db, "SELECT count(*) FROM person_events WHERE event IN ('purchase','order_completed') AND person_id IN (SELECT person_id FROM person_events WHERE channel = 'email')");
        var friendPurchases = await Scalar(db, """
            SELECT count(*) FROM person_events WHERE event IN ('purchase','order_completed') AND person_id IN (
              SELECT person_id FROM (SELECT person_id, channel, row_number() OVER (PARTITION BY person_id ORDER BY timestamp, message_id) AS n
                                     FROM person_events WHERE channel IS NOT NULL) WHERE n = 1 AND channel = 'word_of_mouth')
            """);
        var purchases = await Scalar(db, "SELECT count(*) FROM person_events WHERE event IN ('purchase','order_completed')");
        Assert.True(emailPurchases > 0 && friendPurchases > 0, $"{emailPurchases} {friendPurchases}");

        var attribution = await CliRun.Run("attribution", "--db", db, "--format", "json");
        using var credits = JsonDocument.Parse(attribution.Out);
        foreach (var model in models)
        {
            var mine = rows.Where(r => r.GetProperty("model").GetString() == model).ToList();
            Assert.Equal(["email", "word_of_mouth", "display", "(mean absolute error)"], mine.Select(r => r.GetProperty("channel").GetString()));
            Assert.Equal(emailPurchases / 2.0, mine[0].GetProperty("planted_conversions").GetDouble(), 6);
            Assert.Equal(friendPurchases, mine[1].GetProperty("planted_conversions").GetDouble(), 6);
            Assert.Equal(0, mine[2].GetProperty("planted_conversions").GetDouble());
            double absolute = 0;
            foreach (var row in mine.Take(3))
            {
                var channel = row.GetProperty("channel").GetString();
                var credited = credits.RootElement.EnumerateArray()
                    .Where(c => c.GetProperty("model").GetString() == model && c.GetProperty("channel").GetString() == channel)
                    .Select(c => c.GetProperty("conversions").GetDouble()).SingleOrDefault();
                Assert.Equal(credited, row.GetProperty("attributed_conversions").GetDouble(), 5);
                var error = row.GetProperty("error").GetDouble();
                Assert.Equal(credited - row.GetProperty("planted_conversions").GetDouble(), error, 5);
                Assert.Equal(error / purchases, row.GetProperty("error_share").GetDouble(), 5);
                absolute += Math.Abs(error);
            }

            Assert.Equal(absolute / 3, mine[3].GetProperty("error").GetDouble(), 5);
            Assert.Equal(JsonValueKind.Null, mine[3].GetProperty("planted_conversions").ValueKind);
        }

        // Display planted nothing, yet every model credits it with conversions: the evaluation shows each one's error.
        Assert.All(rows.Where(r => r.GetProperty("channel").GetString() == "display"), r => Assert.True(r.GetProperty("error").GetDouble() > 0));
    }

    [Fact]
    public async Task Evaluate_refuses_data_the_demo_did_not_write_and_path_table_files()
    {
        var db = _temp.File("mine.duckdb");
        var events = _temp.File("events.csv");
        await File.WriteAllTextAsync(events, "message_id,type,event,timestamp,user_id,channel\nm1,track,purchase,2025-01-02T00:00:00Z,u1,email\n");
        Assert.Equal(0, (await CliRun.Run("import", events, "--db", db)).Exit);
        var foreign = await CliRun.Run("attribution", "--db", db, "--evaluate");
        Assert.Equal(1, foreign.Exit);
        Assert.Contains("1 of 1 events were not written by `pretzel demo`", foreign.Error, StringComparison.Ordinal);

        var file = _temp.File("paths.csv");
        await File.WriteAllTextAsync(file, "path,total_conversions\na > b,1\n");
        var paths = await CliRun.Run("attribution", "--paths", file, "--evaluate");
        Assert.Equal(2, paths.Exit);
        Assert.Contains("--evaluate", paths.Error, StringComparison.Ordinal);
    }

    private static async Task<long> Scalar(string db, string sql)
    {
        var result = await CliRun.Run("sql", "--db", db, sql, "--format", "csv");
        Assert.True(result.Exit == 0, result.ToString());
        return long.Parse(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
