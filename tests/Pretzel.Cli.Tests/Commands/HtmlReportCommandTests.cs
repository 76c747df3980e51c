using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel report</c> on the demo: one self-contained HTML file with every section; <c>demo --report</c> and <c>demo --serve</c>.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class HtmlReportCommandTests : IDisposable
{
    private static readonly string[] Sections = ["aarrr", "funnel", "attribution", "roi", "retention", "loyalty", "segments", "journey-map"];
    private static readonly string[] Charts = ["aarrr", "funnel", "attribution", "retention", "loyalty"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_report_on_the_demo_is_one_self_contained_file_with_every_section()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "2000", "--format", "csv")).Exit);
        var file = _temp.File("out/r.html");
        var result = await CliRun.Run("report", "--db", db, "--out", file);
        Assert.True(result.Exit == 0, result.ToString());
        Assert.True(File.Exists(file), result.ToString());
        Assert.Equal("", result.Error);
        var html = await File.ReadAllTextAsync(file);

        foreach (var section in Sections)
        {
            Assert.Contains($"<section id=\"{section}\" data-section=\"{section}\">", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("class=\"error\"", html, StringComparison.Ordinal);

        // Nothing is fetched: no external script, style, image or link; ECharts is inline (its own text holds XML
        // namespace URIs and licence addresses, which are text, not references), and nothing else names a URL.
        var echarts = Pretzel.Server.Dashboard.DashboardAssets.EChartsScript();
        Assert.NotNull(echarts);
        Assert.Contains(echarts.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase), html, StringComparison.Ordinal);
        var rest = html.Replace(echarts, "", StringComparison.Ordinal);
        Assert.DoesNotContain("http://", rest, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", rest, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), rest);
        Assert.Equal(3, Regex.Matches(html, "<script", RegexOptions.IgnoreCase).Count);
        Assert.DoesNotMatch("<script[^>]*\\ssrc=", html);

        // The inline data parses, with rows for every chart.
        var json = DataScript().Match(html);
        Assert.True(json.Success, "the report has no inline data");
        using var data = JsonDocument.Parse(json.Groups[1].Value);
        foreach (var chart in Charts)
        {
            Assert.True(data.RootElement.TryGetProperty(chart, out var table), $"no data for chart {chart}");
            Assert.True(table.GetProperty("rows").GetArrayLength() > 0, $"chart {chart} has no rows");
            Assert.Contains($"data-chart=\"{chart}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_section_without_data_says_so_and_the_report_is_still_written()
    {
        var db = _temp.File("demo.duckdb");
        Assert.Equal(0, (await CliRun.Run("demo", "--db", db, "--people", "300", "--format", "csv")).Exit);
        var file = _temp.File("early.html");

        // Before the first event: some analyses have nothing to show; the file is written all the same.
        var result = await CliRun.Run("report", "--db", db, "--out", file, "--to", "2024-06-01");
        Assert.True(result.Exit == 0, result.ToString());
        var html = await File.ReadAllTextAsync(file);
        foreach (var section in Sections)
        {
            Assert.Contains($"data-section=\"{section}\"", html, StringComparison.Ordinal);
        }

        Assert.Matches("Not available for this data|No rows for this data", html);

        var bad = await CliRun.Run("report", "--db", db, "--out", file, "--to", "yesterday-ish");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("yesterday-ish", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_writes_the_report_when_asked()
    {
        var db = _temp.File("demo.duckdb");
        var file = _temp.File("demo.html");
        var result = await CliRun.Run("demo", "--db", db, "--people", "300", "--format", "csv", "--report", file);
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("data-section=\"attribution\"", await File.ReadAllTextAsync(file), StringComparison.Ordinal);

        var misplaced = await CliRun.Run("demo", "--db", db, "--people", "300", "--port", "1234");
        Assert.Equal(2, misplaced.Exit);
        var both = await CliRun.Run("demo", "--db", db, "--serve");
        Assert.Equal(2, both.Exit);
        Assert.Contains("--db", both.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_serve_prints_an_address_that_answers_and_a_read_key_that_signs_in()
    {
        var data = _temp.File("data");
        for (var run = 0; run < 2; run++)
        {
            // The second run reuses project demo and prints the same key.
            var (address, key) = await ServeOnceAsync(data);
            Assert.StartsWith("pzr_", key, StringComparison.Ordinal);
            if (run == 1)
            {
                Assert.Equal(File.ReadAllText(Path.Combine(data, "demo", "demo-read-key.txt")).Trim(), key);
            }
        }
    }

    private static async Task<(string Address, string Key)> ServeOnceAsync(string data)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "pretzel.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cli, "demo", "--serve", "--data", data, "--people", "300", "--format", "csv" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            string? address = null, key = null;
            while (key is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new Xunit.Sdk.XunitException("demo --serve ended before printing a read key: " + await error);
                if (line.StartsWith("dashboard: ", StringComparison.Ordinal))
                {
                    address = line["dashboard: ".Length..].Trim();
                }
                else if (line.StartsWith("read_key: ", StringComparison.Ordinal))
                {
                    key = line["read_key: ".Length..].Trim();
                }
            }

            Assert.NotNull(address);
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            var page = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var signIn = await http.PostAsync("/sign-in", new FormUrlEncodedContent([new("key", key)]));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("pretzel_session=", StringComparison.Ordinal));
            var refused = await http.PostAsync("/sign-in", new FormUrlEncodedContent([new("key", "pzr_not_a_key")]));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            return (address, key);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"pretzel-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataScript();

    [GeneratedRegex("(?i)(src|href|action)\\s*=\\s*[\"']?(?!#)[^\"'\\s>]|url\\(|@import|//[a-z0-9.-]+\\.[a-z]{2,}/")]
    private static partial Regex ExternalReference();
}
