using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Pretzel.Ingest.Demo;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Server;
using Pretzel.Server.Projects;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Browser.Tests.Support;

/// <summary>
/// <c>pretzel serve</c> in-process on a loopback port over a data folder whose project <c>demo</c> holds
/// the demo data set (2,000 people, as <c>pretzel demo --people 2000</c>, with its ad costs), a project
/// <c>gaps</c> whose few journeys leave stages without any touchpoint (the demo has none), plus one
/// headless Debian Chromium. Screenshots go to <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>The last day of the demo data (it spans 2025).</summary>
    public const string LastDay = "2025-12-31";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "pretzel-dashboard-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string BaseUrl { get; private set; } = "";

    public CreatedProject Project { get; private set; } = null!;

    /// <summary>Two people who come from paid search and buy, one after signing up: in AIDA, interest, desire and action are gaps.</summary>
    public CreatedProject GapsProject { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>TestResults/screenshots beside the test assembly's output (kept after the run, as artifacts).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = CollectorFixture.FindChromium(Environment.GetEnvironmentVariable("PRETZEL_CHROMIUM"))
            ?? throw new InvalidOperationException("Chromium was not found: run 'bash scripts/chromium.sh' (apt-get install chromium) and re-run.");
        Directory.CreateDirectory(ScreenshotDirectory);
        Directory.CreateDirectory(DataDirectory);
        Project = new ProjectRegistry(DataDirectory).Create("demo", DateTime.UtcNow);
        var folder = Path.Combine(DataDirectory, "demo");
        Directory.CreateDirectory(folder);
        using (var store = DuckDbEventStore.Open(Path.Combine(folder, "events.duckdb")))
        {
            var importer = new EventImporter(store, new ProjectSettings(), TimeProvider.System);
            await importer.ImportEventsAsync(new DemoGenerator(new DemoOptions { People = 2000, Seed = 1, Days = 365 }).Generate(), "demo");
            await store.UpsertCostsAsync(DemoCosts.From(await store.ReadEventColumnsAsync()));
        }

        GapsProject = new ProjectRegistry(DataDirectory).Create("gaps", DateTime.UtcNow);
        Directory.CreateDirectory(Path.Combine(DataDirectory, "gaps"));
        var gapEvents = Path.Combine(DataDirectory, "gaps-events.jsonl");
        await File.WriteAllLinesAsync(gapEvents,
        [
            """{"message_id":"g1","type":"page","event":"home","timestamp":"2025-03-01T10:00:00Z","user_id":"u1","source":"google","medium":"cpc"}""",
            """{"message_id":"g2","type":"track","event":"signup","timestamp":"2025-03-02T10:00:00Z","user_id":"u1"}""",
            """{"message_id":"g3","type":"track","event":"purchase","timestamp":"2025-03-03T10:00:00Z","user_id":"u1","revenue":10}""",
            """{"message_id":"g4","type":"page","event":"home","timestamp":"2025-03-01T11:00:00Z","user_id":"u2","source":"google","medium":"cpc"}""",
            """{"message_id":"g5","type":"track","event":"purchase","timestamp":"2025-03-05T10:00:00Z","user_id":"u2","revenue":20}""",
        ]);
        using (var store = DuckDbEventStore.Open(Path.Combine(DataDirectory, "gaps", "events.duckdb")))
        {
            var report = await new EventImporter(store, new ProjectSettings(), TimeProvider.System).ImportFileAsync(gapEvents, new ImportOptions());
            if (report.Written != 5)
            {
                throw new InvalidOperationException($"the gaps project stored {report.Written} of 5 events");
            }
        }

        _app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--Pretzel:DataDirectory", DataDirectory]);
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = CollectorFixture.ChromiumArgs,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
