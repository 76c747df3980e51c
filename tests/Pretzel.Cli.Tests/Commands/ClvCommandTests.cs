using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary>
/// <c>pretzel clv</c>: the published CDNOW fits from lifetimes' summary files (tests/data/cdnow, with its NOTICE.md),
/// the demo store, bad rows, and bad options.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ClvCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Cdnow(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Pretzel.slnx")))
        {
            folder = folder.Parent;
        }

        Assert.True(folder is not null, $"no folder above {AppContext.BaseDirectory} holds Pretzel.slnx: cannot find the repository root");
        var file = Path.Combine(folder!.FullName, "tests", "data", "cdnow", name);
        Assert.True(File.Exists(file), $"the CDNOW summaries are missing: expected {file} (see NOTICE.md beside it)");
        return file;
    }

    private static Dictionary<string, double> Parameters(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().ToDictionary(
            r => $"{r.GetProperty("model").GetString()}.{r.GetProperty("parameter").GetString()}", r => r.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Params_on_the_cdnow_summary_gives_the_published_BG_NBD_fit()
    {
        var result = await CliRun.Run("clv", "--summary", Cdnow("cdnow_customers_summary.csv"), "--params", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        var p = Parameters(result.Out);
        Assert.Equal(["bgnbd.r", "bgnbd.alpha", "bgnbd.a", "bgnbd.b", "bgnbd.log_likelihood"], p.Keys);
        Assert.Equal(0.243, p["bgnbd.r"], 0.0005);
        Assert.Equal(4.414, p["bgnbd.alpha"], 0.0005);
        Assert.Equal(0.793, p["bgnbd.a"], 0.0005);
        Assert.Equal(2.426, p["bgnbd.b"], 0.0005);
        Assert.Equal(-9582.4, p["bgnbd.log_likelihood"], 0.05);

        // lifetimes' file has no spend column: no spend model, and stderr says so.
        Assert.Contains("warning: no spend model", result.Error, StringComparison.Ordinal);

        var again = await CliRun.Run("clv", "--summary", Cdnow("cdnow_customers_summary.csv"), "--params", "--format", "json");
        Assert.Equal(result.Out, again.Out);
    }

    [Fact]
    public async Task With_zbar_the_Gamma_Gamma_fit_and_per_customer_values_follow()
    {
        var file = Cdnow("cdnow_customers_summary_with_transactions.csv");
        var parameters = await CliRun.Run("clv", "--summary", file, "--params", "--format", "json");
        Assert.True(parameters.Exit == 0, parameters.ToString());
        Assert.Equal("", parameters.Error);
        var p = Parameters(parameters.Out);
        Assert.Equal(6.25, p["gamma_gamma.p"], 0.01);
        Assert.Equal(3.74, p["gamma_gamma.q"], 0.01);
        Assert.Equal(15.44, p["gamma_gamma.gamma"], 0.01);
        Assert.Equal(-4055.9, p["gamma_gamma.log_likelihood"], 0.05);

        var rows = await CliRun.Run("clv", "--summary", file, "--horizon", "39w", "--top", "3", "--format", "csv");
        Assert.True(rows.Exit == 0, rows.ToString());
        var lines = rows.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("person_id,x,t_x,T,expected_purchases,p_alive,expected_spend,expected_value", lines[0]);
        Assert.Equal(4, lines.Length);
        var values = lines.Skip(1).Select(l => double.Parse(l.Split(',')[7], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(values.OrderDescending(), values);
    }

    [Fact]
    public async Task The_demo_store_gets_a_value_for_every_buyer()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "1500", "--format", "csv")).Exit);
        var result = await CliRun.Run("clv", "--db", db, "--unit", "day", "--horizon", "90d", "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            var expected = r.GetProperty("expected_purchases").GetDouble();
            Assert.True(expected >= 0 && double.IsFinite(expected), r.ToString());
            Assert.InRange(r.GetProperty("p_alive").GetDouble(), 0, 1);
        });

        var parameters = await CliRun.Run("clv", "--db", db, "--params", "--calibration-end", "2025-09-30", "--format", "csv");
        Assert.True(parameters.Exit == 0, parameters.ToString());
        Assert.StartsWith("model,parameter,value", parameters.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_line_and_column_and_the_good_ones_used()
    {
        var text = new StringBuilder("ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n2,1,1.71,38.86,11.77\n3,0,0,38.86,0\n");
        for (var i = 0; i < 22; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"bad{i},two,1,2,3\n");
        }

        text.Append("4,0,5,38.86,0\n5,4,20,38,30\n");
        var file = _temp.Write("summary.csv", text.ToString());
        var result = await CliRun.Run("clv", "--summary", file, "--params", "--format", "csv");
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains($"{file}: line 5, column x: 'two' is not a whole non-negative number", result.Error, StringComparison.Ordinal);
        Assert.Contains("… and 3 more rejected rows", result.Error, StringComparison.Ordinal);
        Assert.Contains("23 rows rejected, 4 used", result.Error, StringComparison.Ordinal);

        var none = await CliRun.Run("clv", "--summary", _temp.Write("none.csv", "ID,x,t_x,T\n1,x,0,1\n"));
        Assert.Equal(1, none.Exit);
        Assert.Contains("no usable rows (1 rejected)", none.Error, StringComparison.Ordinal);

        var header = await CliRun.Run("clv", "--summary", _temp.Write("header.csv", "customer,frequency\n1,2\n"));
        Assert.Equal(1, header.Exit);
        Assert.Contains("the header has no 'id' column", header.Error, StringComparison.Ordinal);

        var unfit = await CliRun.Run("clv", "--summary", _temp.Write("unfit.csv", "ID,x,t_x,T\n1,0,0,5\n2,0,0,3\n"));
        Assert.Equal(1, unfit.Exit);
        Assert.Contains("none of the 2 customers bought again", unfit.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--unit", "month", "--unit month: expected week or day")]
    [InlineData("--horizon", "forever", "--horizon forever")]
    [InlineData("--calibration-end", "soon", "--calibration-end soon")]
    [InlineData("--top", "0", "--top 0: must be at least 1")]
    [InlineData("--summary", "/nonexistent/summary.csv", "no such file")]
    public async Task Bad_options_are_usage_errors_naming_the_value(string option, string value, string message)
    {
        var result = await CliRun.Run("clv", "--db", _temp.File("none.duckdb"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--purchase", "order")]
    [InlineData("--calibration-end", "1997-09-30")]
    public async Task Store_options_are_refused_with_a_summary_file(string option, string value)
    {
        var result = await CliRun.Run("clv", "--summary", Cdnow("cdnow_customers_summary.csv"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains($"{option} applies to the store's events", result.Error, StringComparison.Ordinal);
    }
}
