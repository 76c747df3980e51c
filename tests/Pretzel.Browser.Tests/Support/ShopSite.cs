using Microsoft.Playwright;

namespace Pretzel.Browser.Tests.Support;

/// <summary>
/// A customer's web site on another origin than the collector: Playwright answers every request for
/// <see cref="Origin"/> with the snippet's test page (src/Pretzel.Server/Assets/pretzel-test.html, copied
/// beside the tests) pointing at the collector. No DNS or TLS is involved: the browser never connects to
/// shop.example. Everything a page does is recorded: JS exceptions, console errors and the collector's
/// answers to <c>/v1/batch</c>.
/// </summary>
public sealed class ShopSite
{
    /// <summary>
    /// The site's origin. It is https, as real shops are, and still loads the snippet from the collector at
    /// http://127.0.0.1:PORT: Chromium treats loopback (127.0.0.0/8, localhost) as potentially trustworthy, so
    /// that script and the batches it posts are not blocked as mixed content (checked by the tests, which
    /// would see neither the page view nor a 200). What does block them is Local Network Access, see
    /// <see cref="OpenAsync"/>.
    /// </summary>
    public const string Origin = "https://shop.example";

    private readonly List<string> _history = [];

    private ShopSite(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        Page.PageError += (_, error) =>
        {
            PageErrors.Add(error);
            Log("page error: " + error);
        };
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add($"{message.Text} ({message.Location})");
            }

            Log($"console {message.Type}: {message.Text} ({message.Location})");
        };
        Page.Request += (_, request) => Log($"request {request.Method} {request.Url}");
        Page.RequestFailed += (_, request) => Log($"request failed {request.Method} {request.Url}: {request.Failure}");
        Page.Response += (_, response) =>
        {
            Log($"response {response.Status} {response.Url}");
            if (response.Url.EndsWith("/v1/batch", StringComparison.Ordinal))
            {
                lock (BatchStatuses)
                {
                    BatchStatuses.Add(response.Status);
                }
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Uncaught exceptions in the page.</summary>
    public List<string> PageErrors { get; } = [];

    /// <summary>Console messages of type error, with where they came from.</summary>
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>What happened in the page (requests, responses, console, errors), for failure messages.</summary>
    public string History
    {
        get
        {
            lock (_history)
            {
                return string.Join("\n", _history);
            }
        }
    }

    /// <summary>HTTP status of every <c>/v1/batch</c> response the page got, in order.</summary>
    public List<int> BatchStatuses { get; } = [];

    /// <summary>A new browser context (fresh cookies and storage) whose shop.example pages load the snippet from <paramref name="collectorUrl"/> with <paramref name="writeKey"/>.</summary>
    public static async Task<ShopSite> OpenAsync(IBrowser browser, string collectorUrl, string writeKey)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "pretzel-test.html"));
        Assert.Contains("__COLLECTOR__", template, StringComparison.Ordinal);
        Assert.Contains("__WRITE_KEY__", template, StringComparison.Ordinal);
        var html = template.Replace("__COLLECTOR__", collectorUrl, StringComparison.Ordinal).Replace("__WRITE_KEY__", writeKey, StringComparison.Ordinal);

        var context = await browser.NewContextAsync();
        // Local Network Access: Chromium asks the visitor before a public site (shop.example) may reach a
        // loopback or private address; headless, the request is just refused ("Permission was denied for
        // this request to access the `loopback` address space"). A real collector has a public address and
        // needs no permission; here it is on 127.0.0.1, so the test grants it to the shop, as a visitor would.
        await context.GrantPermissionsAsync(["local-network-access"], new BrowserContextGrantPermissionsOptions { Origin = Origin });
        await context.RouteAsync(Origin + "/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            if (path == "/favicon.ico")
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 204 });
                return;
            }

            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html; charset=utf-8", Body = html });
        });
        return new ShopSite(context, await context.NewPageAsync());
    }

    /// <summary>Runs <paramref name="action"/> and returns the collector's answer to the <c>/v1/batch</c> request it causes.</summary>
    public async Task<IResponse> ExpectBatchAsync(Func<Task> action)
    {
        try
        {
            return await Page.RunAndWaitForResponseAsync(action,
                r => r.Url.EndsWith("/v1/batch", StringComparison.Ordinal) && r.Request.Method == "POST",
                new PageRunAndWaitForResponseOptions { Timeout = 15_000 });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"no answer to POST /v1/batch within 15 s. What the page did:\n{History}", ex);
        }
    }

    private void Log(string line)
    {
        lock (_history)
        {
            _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
    }
}
