using Microsoft.Playwright;

namespace Pretzel.Browser.Tests.Support;

/// <summary>What every dashboard browser test does with a page: sign in, open a view and wait for it, wait for a render.</summary>
internal static class DashboardPage
{
    internal static async Task SignInAsync(IPage page, string baseUrl, string key)
    {
        await page.GotoAsync(baseUrl + "/");
        await page.FillAsync("#key", key);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#nav a", new() { Timeout = 30_000 });
    }

    /// <summary>Opens <paramref name="hash"/> and waits until <paramref name="view"/> is ready (failing with the page's text when it is not).</summary>
    internal static async Task OpenViewAsync(IPage page, string baseUrl, string hash, string view)
    {
        await page.GotoAsync(baseUrl + "/" + hash);
        await page.WaitForSelectorAsync($"main[data-view=\"{view}\"][data-state=ready], main[data-view=\"{view}\"][data-state=error]", new() { Timeout = 90_000 });
        var state = await page.GetAttributeAsync("main", "data-state");
        Assert.True(state == "ready", $"view {view} failed: {await page.InnerTextAsync("main")}");
        await WaitForLazyCardsAsync(page);
    }

    /// <summary>Waits until every card that fills in after the view is drawn (data-lazy) has loaded or failed.</summary>
    internal static async Task WaitForLazyCardsAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await page.Locator("[data-lazy=loading]").CountAsync() > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "a card of the view did not load within 120 s");
            await Task.Delay(50);
        }
    }

    /// <summary>How many times the current view has rendered.</summary>
    internal static Task<int> RendersAsync(IPage page) => page.EvaluateAsync<int>("Number(document.querySelector('main').dataset.renders || 0)");

    // Polled from here: Playwright's WaitForFunction evaluates a string, which the page's CSP (no unsafe-eval) forbids.
    internal static async Task WaitForRenderAsync(IPage page, int before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await RendersAsync(page) <= before || await page.GetAttributeAsync("main", "data-state") == "loading")
        {
            Assert.True(DateTime.UtcNow < deadline, "the view did not render again within 90 s");
            await Task.Delay(50);
        }

        Assert.True(await page.GetAttributeAsync("main", "data-state") == "ready", $"the view failed: {await page.InnerTextAsync("main")}");
        await WaitForLazyCardsAsync(page);
    }
}
