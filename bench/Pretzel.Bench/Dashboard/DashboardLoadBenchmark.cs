using System.Diagnostics;
using Microsoft.Playwright;
using Pretzel.Ingest.Demo;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Server;
using Pretzel.Server.Projects;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Bench.Dashboard;

/// <summary>
/// How long each dashboard view takes to load on the demo data (default 20,000 people, as <c>pretzel demo</c>): the
/// server in-process on loopback, headless Debian Chromium signed in with the read key, each view opened by its
/// address (a full page load: HTML, scripts, ECharts, the API calls, the charts drawn) until it says it is ready.
/// "ms" is until the view is drawn (data-state=ready); "all" until its late cards (slow reports that fill in
/// afterwards: journey shapes, lifetime value, prospects) have loaded too. The first load of a view is "cold": its reports are computed (for the overview, where signing in lands, the store's
/// columns are also read into memory first). The median of the next loads is "warm": the server keeps a report's
/// rows while the data stays the same (ReportCache), so they measure the page, the API round trips and the drawing. The baseline, measured in the same run, is a full load of the static sign-in page: the browser's and
/// the machine's own floor for a page.
/// </summary>
public static class DashboardLoadBenchmark
{
    private static readonly string[] Views = ["overview", "funnel", "attribution", "retention", "paths", "graph", "segments", "journey-map"];

    public static async Task<int> RunAsync(int people, int runs)
    {
        var chromium = FindChromium();
        if (chromium is null)
        {
            Console.Error.WriteLine("Chromium was not found (PRETZEL_CHROMIUM, 'chromium' on PATH): run 'bash scripts/chromium.sh' first.");
            return 2;
        }

        var data = Path.Combine(Path.GetTempPath(), $"pretzel-bench-dashboard-{Environment.ProcessId}");
        Directory.CreateDirectory(data);
        try
        {
            var sw = Stopwatch.StartNew();
            var project = new ProjectRegistry(data).Create("demo", DateTime.UtcNow);
            var folder = Path.Combine(data, "demo");
            Directory.CreateDirectory(folder);
            using (var store = DuckDbEventStore.Open(Path.Combine(folder, "events.duckdb")))
            {
                var importer = new EventImporter(store, new ProjectSettings(), TimeProvider.System);
                await importer.ImportEventsAsync(new DemoGenerator(new DemoOptions { People = people, Seed = 1, Days = 365 }).Generate(), "demo").ConfigureAwait(false);
                await store.UpsertCostsAsync(DemoCosts.From(await store.ReadEventColumnsAsync().ConfigureAwait(false))).ConfigureAwait(false);
            }

            Console.WriteLine($"demo data: {people:N0} people loaded in {sw.Elapsed.TotalSeconds:F1} s");
            var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--Pretzel:DataDirectory", data]);
            await app.StartAsync().ConfigureAwait(false);
            try
            {
                var baseUrl = app.Urls.First().TrimEnd('/');
                using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
                await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"], Timeout = 60_000,
                }).ConfigureAwait(false);
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } }).ConfigureAwait(false);
                var page = await context.NewPageAsync().ConfigureAwait(false);

                // The baseline: the static sign-in page (before signing in), fully loaded.
                var baseline = new List<double>();
                for (var i = 0; i < runs + 1; i++)
                {
                    sw.Restart();
                    await page.GotoAsync(baseUrl + "/", new PageGotoOptions { WaitUntil = WaitUntilState.Load }).ConfigureAwait(false);
                    await page.WaitForSelectorAsync("#key").ConfigureAwait(false);
                    baseline.Add(sw.Elapsed.TotalMilliseconds);
                }

                // Signing in lands on the overview: its cold load (which also reads the store's columns into memory).
                await page.FillAsync("#key", project.ReadKey).ConfigureAwait(false);
                sw.Restart();
                await page.ClickAsync("button[type=submit]").ConfigureAwait(false);
                await page.WaitForSelectorAsync("main[data-view=overview][data-state=ready], main[data-state=error]", new PageWaitForSelectorOptions { Timeout = 120_000 }).ConfigureAwait(false);
                var signedIn = sw.Elapsed.TotalMilliseconds;
                while (await page.Locator("[data-lazy=loading]").CountAsync().ConfigureAwait(false) > 0)
                {
                    await Task.Delay(10).ConfigureAwait(false);
                }

                var signedInComplete = sw.Elapsed.TotalMilliseconds;

                var floor = Median(baseline.Skip(1));
                Console.WriteLine();
                Console.WriteLine($"{"view",-14} {"cold ms",8} {"cold all",10} {"warm ms",8} {"warm all",10} {"× sign-in page",15}  {"< 1 s",5}");
                Console.WriteLine($"{"(sign-in page)",-14} {baseline[0],8:F0} {"",10} {floor,8:F0} {"",10} {1.0,15:F1}");
                var slowest = 0.0;
                foreach (var view in Views)
                {
                    var times = new List<double>();
                    var complete = new List<double>();
                    for (var i = 0; i < runs + 1; i++)
                    {
                        // Another address first, so that every load is a full page load of this view.
                        await page.GotoAsync("about:blank").ConfigureAwait(false);
                        sw.Restart();
                        await page.GotoAsync($"{baseUrl}/#/{view}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit }).ConfigureAwait(false);
                        await page.WaitForSelectorAsync($"main[data-view=\"{view}\"][data-state=ready], main[data-view=\"{view}\"][data-state=error]", new PageWaitForSelectorOptions { Timeout = 120_000 }).ConfigureAwait(false);
                        times.Add(sw.Elapsed.TotalMilliseconds);
                        if (await page.GetAttributeAsync("main", "data-state").ConfigureAwait(false) != "ready")
                        {
                            Console.Error.WriteLine($"view {view} failed: {await page.InnerTextAsync("main").ConfigureAwait(false)}");
                            return 1;
                        }

                        // Cards that fill in after the view is drawn (slow reports: journey shapes, lifetime value, prospects).
                        while (await page.Locator("[data-lazy=loading]").CountAsync().ConfigureAwait(false) > 0)
                        {
                            await Task.Delay(10).ConfigureAwait(false);
                        }

                        complete.Add(sw.Elapsed.TotalMilliseconds);
                    }

                    if (view == "overview")
                    {
                        times[0] = signedIn;
                        complete[0] = signedInComplete;
                    }

                    var warm = Median(times.Skip(1));
                    var warmComplete = Median(complete.Skip(1));
                    slowest = Math.Max(slowest, warm);
                    Console.WriteLine($"{view,-14} {times[0],8:F0} {complete[0],10:F0} {warm,8:F0} {warmComplete,10:F0} {warm / floor,15:F1}  {(warm < 1000 ? "yes" : "NO"),5}");
                }

                Console.WriteLine();
                Console.WriteLine($"slowest view (warm): {slowest:F0} ms, {slowest / floor:F1}× a static page's load; goal < 1 s: {(slowest < 1000 ? "met" : "not met")}");
                return 0;
            }
            finally
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string? FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("PRETZEL_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .Append("/usr/bin/chromium")
            .FirstOrDefault(File.Exists);
    }
}
