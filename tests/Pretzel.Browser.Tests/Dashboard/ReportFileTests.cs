using System.Diagnostics;
using Microsoft.Playwright;
using Pretzel.Browser.Tests.Support;

namespace Pretzel.Browser.Tests.Dashboard;

/// <summary>
/// The file of <c>pretzel report</c> (on <c>pretzel demo --people 2000</c>) opened from disk in headless Debian Chromium
/// with every non-file request aborted: each chart drawn with data, no console errors, nothing fetched. The report
/// comes from the built CLI (src/Pretzel.Cli/bin/CONFIGURATION, which <c>dotnet build Pretzel.slnx</c> makes); a
/// screenshot goes to TestResults/screenshots/report.png beside the test assembly.
/// </summary>
public sealed class ReportFileTests : IAsyncLifetime
{
    private static readonly string[] Charts = ["aarrr", "funnel", "attribution", "retention", "loyalty"];
    private static readonly string[] Sections = ["aarrr", "funnel", "attribution", "roi", "retention", "loyalty", "segments", "journey-map"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pretzel-report-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        var chromium = CollectorFixture.FindChromium(Environment.GetEnvironmentVariable("PRETZEL_CHROMIUM"))
            ?? throw new InvalidOperationException("Chromium was not found: run 'bash scripts/chromium.sh' (apt-get install chromium) and re-run.");
        Directory.CreateDirectory(_folder);
        Directory.CreateDirectory(DashboardFixture.ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = CollectorFixture.ChromiumArgs,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_report_file_renders_offline_with_every_chart_drawn_and_no_console_errors()
    {
        var db = Path.Combine(_folder, "demo.duckdb");
        var file = Path.Combine(_folder, "r.html");
        await PretzelAsync("demo", "--db", db, "--people", "2000", "--format", "csv");
        await PretzelAsync("report", "--db", db, "--out", file);
        Assert.True(File.Exists(file), $"{file} was not written");

        var (context, page, errors) = await BrowserPages.OpenAsync(_browser!, 1280, 900);
        try
        {
            // Offline: every request that is not the file itself is aborted, and recorded.
            var blocked = new List<string>();
            await context.RouteAsync("**/*", async route =>
            {
                if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
                {
                    await route.ContinueAsync();
                    return;
                }

                lock (blocked)
                {
                    blocked.Add(route.Request.Url);
                }

                await route.AbortAsync();
            });

            await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            foreach (var section in Sections)
            {
                Assert.True(await page.Locator($"section[data-section=\"{section}\"] h2").CountAsync() == 1, $"section {section} is missing");
            }

            Assert.Equal(0, await page.Locator(".error").CountAsync());
            foreach (var chart in Charts)
            {
                var points = await ChartReader.PointsAsync(page, chart);
                Assert.True(points > 0, $"chart '{chart}' has no data points");
            }

            Assert.True(await page.Locator("section[data-section=\"attribution\"] table tbody tr").CountAsync() > 0, "the attribution table has no rows");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "report.png"), FullPage = true });
            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
            Assert.True(blocked.Count == 0, "the report asked for: " + string.Join(", ", blocked));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Runs the built CLI (same configuration as this test assembly) and fails with its output when it fails.</summary>
    private static async Task PretzelAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliAssembly());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pretzel {string.Join(' ', args)} did not finish in 5 minutes");
        }

        Assert.True(process.ExitCode == 0, $"pretzel {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static string CliAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Pretzel.slnx")))
            {
                var cli = Path.Combine(folder.FullName, "src", "Pretzel.Cli", "bin", configuration, "net10.0", "pretzel.dll");
                return File.Exists(cli) ? cli : throw new InvalidOperationException($"{cli} is missing: build the CLI first (dotnet build Pretzel.slnx -c {configuration}).");
            }
        }

        throw new InvalidOperationException("the repository (Pretzel.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
