using System.Text.Json;

namespace Pretzel.Cli.Tests;

/// <summary><c>pretzel predict</c> on a small demo: the three models measured, prospects scored, a model saved and refused for another touch.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PredictCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Evaluate_open_train_and_a_refused_model()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);

        var evaluate = await CliRun.Run("predict", "--db", db, "--evaluate", "--format", "json");
        Assert.True(evaluate.Exit == 0, evaluate.ToString());
        using (var doc = JsonDocument.Parse(evaluate.Out))
        {
            var rows = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("model").GetString()!);
            Assert.Equal(["baseline", "lightgbm", "markov"], rows.Keys.Order());
            foreach (var row in rows.Values)
            {
                Assert.InRange(row.GetProperty("auc").GetDouble(), 0.5, 1);
                Assert.InRange(row.GetProperty("brier").GetDouble(), 0, 0.25);
                Assert.True(row.GetProperty("holdout_conversions").GetInt64() > 0);
            }

            // The supervised model ranks the holdout better than the stage baseline.
            Assert.True(rows["lightgbm"].GetProperty("auc").GetDouble() > rows["baseline"].GetProperty("auc").GetDouble(), evaluate.Out);
        }

        var calibration = await CliRun.Run("predict", "--db", db, "--calibration", "--format", "json");
        Assert.True(calibration.Exit == 0, calibration.ToString());
        using (var doc = JsonDocument.Parse(calibration.Out))
        {
            Assert.Equal(30, doc.RootElement.GetArrayLength());
        }

        var open = await CliRun.Run("predict", "--db", db, "--open", "--format", "json");
        Assert.True(open.Exit == 0, open.ToString());
        Assert.Contains("on the fly", open.Error, StringComparison.Ordinal);
        Assert.Contains("correlational", open.Error, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(open.Out))
        {
            var rows = doc.RootElement.EnumerateArray().ToList();
            Assert.NotEmpty(rows);
            var p = rows.Select(r => r.GetProperty("probability").GetDouble()).ToList();
            Assert.Equal(p.OrderDescending(), p);
            Assert.All(p, x => Assert.InRange(x, 0, 1));
            Assert.Contains(rows, r => r.GetProperty("next_best_touch").ValueKind == JsonValueKind.String && r.GetProperty("uplift").GetDouble() > 0);
            Assert.All(rows, r => Assert.Equal("lightgbm", r.GetProperty("model").GetString()));
            Assert.All(rows, r => Assert.InRange(r.GetProperty("days_since_last_touch").GetDouble(), 0, 90));

            // By default only touches a business can send or buy are advised: never direct or an organic arrival.
            Assert.DoesNotContain(rows, r => r.GetProperty("next_best_touch").GetString() is "direct" or "organic_search" or "organic_social" or "referral" or "word_of_mouth" or "affiliates");
        }

        var train = await CliRun.Run("predict", "--db", db, "--train", "--format", "json");
        Assert.True(train.Exit == 0, train.ToString());
        using (var doc = JsonDocument.Parse(train.Out))
        {
            Assert.Equal(1, doc.RootElement[0].GetProperty("version").GetInt32());
        }

        Assert.True(File.Exists(db + ".models/predict-v1.zip"));
        Assert.True(File.Exists(db + ".models/predict-v1.json"));
        var saved = await CliRun.Run("predict", "--db", db, "--open", "--model", "markov", "--top", "3", "--format", "json");
        Assert.True(saved.Exit == 0, saved.ToString());
        Assert.Contains("saved model v1", saved.Error, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(saved.Out))
        {
            Assert.Equal(3, doc.RootElement.GetArrayLength());
            Assert.Equal("markov", doc.RootElement[0].GetProperty("model").GetString());
        }

        var touches = await CliRun.Run("predict", "--db", db, "--next-touches", "--format", "json");
        Assert.True(touches.Exit == 0, touches.ToString());
        using (var doc = JsonDocument.Parse(touches.Out))
        {
            var named = doc.RootElement.EnumerateArray().Select(r => r.GetProperty("touch").GetString()).ToHashSet();
            Assert.Contains("email", named);
            Assert.DoesNotContain("direct", named);
        }

        // Named touches are the candidates, whatever the default.
        var chosen = await CliRun.Run("predict", "--db", db, "--next-touches", "--touches", "direct,email", "--format", "json");
        Assert.True(chosen.Exit == 0, chosen.ToString());
        using (var doc = JsonDocument.Parse(chosen.Out))
        {
            Assert.Equal(["direct", "email"], doc.RootElement.EnumerateArray().Select(r => r.GetProperty("touch").GetString()).Distinct().Order());
        }

        var refused = await CliRun.Run("predict", "--db", db, "--open", "--touch", "event");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("another touch definition", refused.Error, StringComparison.Ordinal);
        Assert.Contains("touch=event", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--horizon", "soon", "--horizon soon")]
    [InlineData("--order", "7", "--order 7")]
    [InlineData("--touch", "pages", "--touch pages")]
    [InlineData("--stages", "nope", "--stages nope")]
    public async Task Bad_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var result = await CliRun.Run("predict", "--db", _temp.File("none.duckdb"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_says_which_touches_are_advised_by_default()
    {
        var result = await CliRun.Run("predict", "--help");
        Assert.Equal(0, result.Exit);
        Assert.Contains("send or buy", result.Out, StringComparison.Ordinal);
        Assert.Contains("direct", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_views_at_once_are_a_usage_error()
    {
        var result = await CliRun.Run("predict", "--db", _temp.File("none.duckdb"), "--open", "--evaluate");
        Assert.Equal(2, result.Exit);
        Assert.Contains("choose one of", result.Error, StringComparison.Ordinal);
    }
}
