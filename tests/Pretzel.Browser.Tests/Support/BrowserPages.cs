using Microsoft.Playwright;

namespace Pretzel.Browser.Tests.Support;

/// <summary>A page in a fresh browser context, with the console errors and page errors it logs.</summary>
internal sealed record BrowserPage(IBrowserContext Context, IPage Page, List<string> Errors)
{
    /// <summary>Fails naming every console error or page error logged so far.</summary>
    internal void AssertNoErrors()
    {
        lock (Errors)
        {
            Assert.True(Errors.Count == 0, "console errors or page errors: " + string.Join(" | ", Errors));
        }
    }
}

internal static class BrowserPages
{
    /// <summary>
    /// A new context and page at <paramref name="width"/> × <paramref name="height"/> (locale en-US) recording errors;
    /// with <paramref name="ignoreUnauthorized"/>, the console's report of a 401 answer (a refused sign-in under test) is not one.
    /// </summary>
    internal static async Task<BrowserPage> OpenAsync(IBrowser browser, int width, int height, bool ignoreUnauthorized = false)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "en-US" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !(ignoreUnauthorized && message.Text.Contains("401", StringComparison.Ordinal)))
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return new BrowserPage(context, page, errors);
    }
}
