using Microsoft.Playwright;
using Pretzel.Browser.Tests.Support;

namespace Pretzel.Browser.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (headless Debian Chromium) over the demo data: sign-in with the read key,
/// every view drawn with data, filters in the URL that change the numbers, and a wrong key refused.
/// Screenshots of each view go to TestResults/screenshots beside the test assembly.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture server) : IClassFixture<DashboardFixture>
{
    /// <summary>The built views and the charts each must draw with data.</summary>
    private static readonly (string View, string[] Charts)[] Views =
    [
        ("overview", ["aarrr", "shapes"]),
        ("funnel", ["funnel"]),
        ("attribution", ["attribution", "roi"]),
        ("retention", ["retention", "loyalty", "movement", "clv"]),
    ];

    [Fact]
    public async Task Signed_in_every_view_draws_its_charts_with_data_and_no_console_errors()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);
            var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "pretzel_session");
            Assert.True(cookie.HttpOnly, "the session cookie is HttpOnly");
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
            Assert.DoesNotContain(server.Project.ReadKey, cookie.Value, StringComparison.Ordinal);

            foreach (var (view, charts) in Views)
            {
                await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/{view}?to={DashboardFixture.LastDay}", view);
                foreach (var chart in charts)
                {
                    var points = await ChartReader.PointsAsync(page, chart);
                    Assert.True(points > 0, $"view {view}: chart '{chart}' has no data points");
                }

                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, $"{view}.png"), FullPage = true });
            }

            // A phone-width look at the overview: the same charts, stacked.
            await page.SetViewportSizeAsync(390, 844);
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/overview?to={DashboardFixture.LastDay}&period=week", "overview");
            Assert.True(await ChartReader.PointsAsync(page, "aarrr") > 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "overview-phone.png"), FullPage = true });

            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));

            // Sign out: back to the sign-in page, and the API no longer answers this browser.
            await page.ClickAsync("text=Sign out");
            await page.WaitForSelectorAsync("#key");
            var status = await page.EvaluateAsync<int>("fetch('/api/v1/project').then(r => r.status)");
            Assert.Equal(401, status);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task Filters_live_in_the_url_change_the_numbers_and_survive_a_reload()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/overview?to={DashboardFixture.LastDay}", "overview");
            var wholeYear = await page.InnerTextAsync("[data-kpi=people]");

            var renders = await DashboardPage.RendersAsync(page);
            await page.FillAsync("#filter-to", "2025-06-30");
            await page.DispatchEventAsync("#filter-to", "change");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("to=2025-06-30", page.Url, StringComparison.Ordinal);
            var halfYear = await page.InnerTextAsync("[data-kpi=people]");
            Assert.NotEqual(wholeYear, halfYear);
            Assert.True(ParseCount(halfYear) < ParseCount(wholeYear), $"people up to June ({halfYear}) are fewer than up to December ({wholeYear})");
            Assert.Matches(@"^\d{1,3}(,\d{3})+$|^\d{1,3}$", wholeYear);

            await page.ReloadAsync();
            await page.WaitForSelectorAsync("main[data-view=overview][data-state=ready]", new() { Timeout = 90_000 });
            Assert.Equal("2025-06-30", await page.InputValueAsync("#filter-to"));
            Assert.Equal(halfYear, await page.InnerTextAsync("[data-kpi=people]"));

            // The funnel broken down by first-touch channel: a group filter appears, and another group shows other numbers.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/funnel?to={DashboardFixture.LastDay}&by=first_touch", "funnel");
            var groups = await page.EvalOnSelectorAllAsync<string[]>("#filter-group option", "o => o.map(x => x.value).filter(v => v)");
            Assert.True(groups.Length > 1, "the funnel's breakdown offers several channels");
            var first = await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)");
            renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-group", groups[1]);
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("group=" + Uri.EscapeDataString(groups[1]), page.Url, StringComparison.Ordinal);
            Assert.NotEqual(first, await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)"));
            Assert.True(await ChartReader.PointsAsync(page, "funnel") > 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "funnel-by-channel.png"), FullPage = true });

            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task Date_range_channel_and_segment_filters_narrow_the_numbers_survive_a_reload_and_travel_between_views()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/funnel?to={DashboardFixture.LastDay}", "funnel");
            var everyone = ParseCount(await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)"));
            Assert.Equal(0, await page.Locator("main .scope").CountAsync());

            // The channel filter offers the project's channels once they are loaded.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(await page.EvalOnSelectorAllAsync<string[]>("#filter-channel option", "o => o.map(x => x.value)")).Contains("email"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the channel filter never offered email");
                await Task.Delay(50);
            }

            var renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-channel", "email");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("channel=email", page.Url, StringComparison.Ordinal);
            var emailed = ParseCount(await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)"));
            Assert.True(emailed > 0 && emailed < everyone, $"people with an email touch entering the funnel ({emailed}) are some of everyone ({everyone})");
            Assert.Contains("touch on email", await page.InnerTextAsync("main .scope"), StringComparison.Ordinal);

            renders = await DashboardPage.RendersAsync(page);
            await page.FillAsync("#filter-from", "2025-07-01");
            await page.DispatchEventAsync("#filter-from", "change");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("from=2025-07-01", page.Url, StringComparison.Ordinal);
            var secondHalf = ParseCount(await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)"));
            Assert.True(secondHalf < emailed, $"from July on ({secondHalf}) fewer enter than in the whole year ({emailed})");

            await page.ReloadAsync();
            await page.WaitForSelectorAsync("main[data-view=funnel][data-state=ready]", new() { Timeout = 90_000 });
            Assert.Equal("2025-07-01", await page.InputValueAsync("#filter-from"));
            Assert.Equal("email", await page.InputValueAsync("#filter-channel"));
            Assert.Equal(secondHalf, ParseCount(await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)")));

            // The filters go along to another view, which draws the narrowed data.
            await page.ClickAsync("#nav a:text-is('Retention')");
            await page.WaitForSelectorAsync("main[data-view=retention][data-state=ready]", new() { Timeout = 90_000 });
            await DashboardPage.WaitForLazyCardsAsync(page);
            Assert.Contains("channel=email", page.Url, StringComparison.Ordinal);
            Assert.Contains("from=2025-07-01", page.Url, StringComparison.Ordinal);
            Assert.True(await ChartReader.PointsAsync(page, "retention") > 0);
            Assert.Contains("2025-07-01", await page.InnerTextAsync("main .scope"), StringComparison.Ordinal);

            // A customer segment: only its people.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/funnel?to={DashboardFixture.LastDay}&steps=signup,purchase&segment=rfm%3AChampions", "funnel");
            Assert.Equal("rfm:Champions", await page.InputValueAsync("#filter-segment"));
            var champions = ParseCount(await page.InnerTextAsync("main table tbody tr:first-child td:nth-child(2)"));
            Assert.True(champions > 0 && champions < everyone, $"champions who bought ({champions}) are some of everyone ({everyone})");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "funnel-filtered.png"), FullPage = true });

            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_funnel_lists_the_open_prospects_to_call_first_with_their_next_best_touch()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/funnel?to={DashboardFixture.LastDay}", "funnel");
            Assert.True(await page.GetAttributeAsync("[data-card=prospects]", "data-lazy") == "ready", await page.InnerTextAsync("[data-card=prospects]"));
            var people = await page.EvalOnSelectorAllAsync<string[]>("[data-card=prospects] tbody tr td:first-child", "cells => cells.map(c => c.textContent)");
            Assert.InRange(people.Length, 1, 20);

            // The table is the API's rows, most likely first, each with a next best touch that raises the chance.
            var api = await page.EvaluateAsync<System.Text.Json.JsonElement>($"fetch('/api/v1/predict?view=open&top=20&to={DashboardFixture.LastDay}').then(r => r.json())");
            var rows = api.EnumerateArray().ToList();
            Assert.Equal(rows.Select(r => r.GetProperty("person").GetString()), people);
            var chances = rows.Select(r => r.GetProperty("probability").GetDouble()).ToList();
            Assert.Equal(chances.OrderByDescending(c => c), chances);
            Assert.All(rows, r => Assert.InRange(r.GetProperty("probability").GetDouble(), 0, 1));
            Assert.Contains(rows, r => r.GetProperty("next_best_touch").ValueKind == System.Text.Json.JsonValueKind.String && r.GetProperty("uplift").GetDouble() > 0);
            Assert.Contains("correlational", await page.InnerTextAsync("[data-card=prospects] .note"), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "funnel-prospects.png"), FullPage = true });
            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_wrong_key_or_a_write_key_is_refused_with_a_clear_message()
    {
        var (context, page, _) = await BrowserPages.OpenAsync(server.Browser, 1280, 900, ignoreUnauthorized: true);
        try
        {
            await page.GotoAsync(server.BaseUrl + "/");
            await page.FillAsync("#key", "pzr_not-a-key-of-this-server");
            await page.ClickAsync("button[type=submit]");
            Assert.Contains("refused", await page.InnerTextAsync("#sign-in-error"), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "sign-in-refused.png") });

            await page.FillAsync("#key", server.Project.WriteKey);
            await page.ClickAsync("button[type=submit]");
            Assert.Contains("write key", await page.InnerTextAsync("#sign-in-error"), StringComparison.Ordinal);

            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "pretzel_session");
            Assert.Equal(401, await page.EvaluateAsync<int>("fetch('/api/v1/project').then(r => r.status)"));
            Assert.Equal(0, await page.Locator("#nav").CountAsync());
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static long ParseCount(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
