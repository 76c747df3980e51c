using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pretzel.Server;
using Pretzel.Server.Projects;

namespace Pretzel.Browser.Tests.Support;

/// <summary>
/// One collector (<c>pretzel serve</c>, in-process on a real loopback port: the browser needs a socket) with a
/// fresh data folder, plus one headless Debian Chromium driven by Playwright. Shared by the tests of a class;
/// each test has its own project (own store, see <see cref="Projects"/>) and its own browser context (own
/// cookies and storage), so tests never see each other's events.
/// </summary>
public sealed class CollectorFixture : IAsyncLifetime
{
    /// <summary>Flags for Debian's Chromium in a container: no sandbox (root), no GPU, no background traffic.</summary>
    internal static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "pretzel-browser-tests-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The collector's base URL, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string CollectorUrl { get; private set; } = "";

    /// <summary>The projects created before the server starts, one per test.</summary>
    public static readonly string[] Projects = ["site", "beacon"];

    private readonly Dictionary<string, ProjectApi> _projects = [];

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The collector's side of the browser's requests to <c>/v1/*</c>.</summary>
    public RequestLog ServerLog { get; } = new();

    /// <summary>The server log as text, for failure messages.</summary>
    public string ServerHistory => string.Join("\n", ServerLog.Lines);

    /// <summary>Project <paramref name="name"/> (one of <see cref="Projects"/>): its keys and its query API.</summary>
    public ProjectApi Project(string name) => _projects[name];

    public async Task InitializeAsync()
    {
        // Chromium first: without it the tests cannot run, and they must fail (never skip) saying why.
        var configured = Environment.GetEnvironmentVariable("PRETZEL_CHROMIUM");
        var chromium = FindChromium(configured)
            ?? throw new InvalidOperationException(
                (string.IsNullOrEmpty(configured)
                    ? "Chromium was not found ('chromium' on PATH, /usr/bin/chromium). "
                    : $"Chromium was not found at PRETZEL_CHROMIUM={configured}. ")
                + "The browser tests drive Debian's Chromium: run 'bash scripts/chromium.sh' (apt-get install chromium) and re-run.");

        Directory.CreateDirectory(DataDirectory);
        var registry = new ProjectRegistry(DataDirectory);
        var created = Projects.Select(name => registry.Create(name, DateTime.UtcNow)).ToList();
        _app = ServerHost.Build(
            ["--urls", "http://127.0.0.1:0", "--Pretzel:DataDirectory", DataDirectory, "--Pretzel:FlushInterval", "00:00:00.100"],
            builder => builder.Services.AddSingleton<IStartupFilter>(ServerLog));
        await _app.StartAsync();
        CollectorUrl = _app.Urls.First().TrimEnd('/');
        foreach (var project in created)
        {
            _projects[project.Project.Name] = new ProjectApi(CollectorUrl, project);
        }

        _playwright = await Playwright.CreateAsync();
        try
        {
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"Chromium at {chromium} did not start under Playwright: {ex.Message}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        foreach (var project in _projects.Values)
        {
            project.Dispose();
        }

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

    /// <summary>The Chromium executable: <paramref name="configured"/> ($PRETZEL_CHROMIUM) if set, else <c>chromium</c> on PATH.</summary>
    internal static string? FindChromium(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }
}

/// <summary>One project of the collector: its keys, and its query API through the read key.</summary>
public sealed class ProjectApi : IDisposable
{
    private readonly HttpClient _client;

    internal ProjectApi(string collectorUrl, CreatedProject project)
    {
        Name = project.Project.Name;
        WriteKey = project.WriteKey;
        _client = new HttpClient { BaseAddress = new Uri(collectorUrl), Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", project.ReadKey);
    }

    public string Name { get; }

    public string WriteKey { get; }

    /// <summary>Waits until every event the collector accepted is in the store (<c>GET /api/v1/project</c> backlog 0).</summary>
    public async Task WaitForStoreAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long backlog = -1;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _client.GetAsync("/api/v1/project");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET /api/v1/project: {(int)response.StatusCode} {text}");
            using var doc = JsonDocument.Parse(text);
            backlog = doc.RootElement.GetProperty("backlog").GetInt64();
            if (backlog == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the store still has a backlog of {backlog} events after 30 s");
    }

    /// <summary>Runs <paramref name="sql"/> through <c>POST /api/v1/sql</c> with the read key; the rows as JSON objects.</summary>
    public async Task<JsonElement[]> SqlAsync(string sql)
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/sql", new { sql });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/sql ({sql}): {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.EnumerateArray().Select(r => r.Clone())];
    }

    public void Dispose() => _client.Dispose();
}
