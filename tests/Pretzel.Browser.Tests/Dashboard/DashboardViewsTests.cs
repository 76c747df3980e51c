using Microsoft.Playwright;
using Pretzel.Browser.Tests.Support;

namespace Pretzel.Browser.Tests.Dashboard;

/// <summary>
/// The Paths, Journey graph, Segments and Journey map views in a real browser (headless Debian Chromium) over
/// the demo data: each chart drawn with data read back from ECharts, no console errors, filters in the URL that
/// change what is drawn, empty states that say why, and the segment links to the funnel (by keyboard too).
/// Screenshots go to TestResults/screenshots beside the test assembly.
/// </summary>
public sealed class DashboardViewsTests(DashboardFixture server) : IClassFixture<DashboardFixture>
{
    /// <summary>The views of this slice and the charts each must draw with data.</summary>
    private static readonly (string View, string[] Charts)[] Views =
    [
        ("paths", ["paths"]),
        ("graph", ["graph"]),
        ("segments", ["rfm", "abc-xyz"]),
        ("journey-map", ["journey-map", "stages"]),
    ];

    [Fact]
    public async Task Every_new_view_draws_its_charts_with_data_titles_and_no_console_errors()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);
            foreach (var (view, charts) in Views)
            {
                await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/{view}?to={DashboardFixture.LastDay}", view);
                Assert.DoesNotContain("Not in this version yet", await page.InnerTextAsync("main"), StringComparison.Ordinal);
                Assert.True(await page.Locator("main .card h3").CountAsync() > 0, $"view {view}: its cards have titles");
                foreach (var chart in charts)
                {
                    var info = await ChartReader.ReadAsync(page, chart);
                    Assert.True(info.Points > 0, $"view {view}: chart '{chart}' has no data points");
                    Assert.True(info.Tooltip, $"view {view}: chart '{chart}' has no tooltip");
                    Assert.False(string.IsNullOrWhiteSpace(info.Label), $"view {view}: chart '{chart}' has no accessible label");
                }

                // Every filter is a labelled form control (reachable with Tab).
                var unlabelled = await page.EvalOnSelectorAllAsync<int>("#filters select, #filters input", "els => els.filter(e => !e.closest('label') || !e.id).length");
                Assert.Equal(0, unlabelled);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, $"{view}.png"), FullPage = true });
            }

            // The flow's links really are people after signup, with (exit) among them.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/paths?to={DashboardFixture.LastDay}", "paths");
            var labels = await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.querySelector('[data-chart=paths]')).getOption().series[0].data.map(n => n.name)");
            Assert.Contains(labels, l => l.StartsWith("signup @", StringComparison.Ordinal));
            Assert.Contains(labels, l => l.StartsWith("(exit) @", StringComparison.Ordinal));

            // The journey map at phone width: the same charts, stacked.
            await page.SetViewportSizeAsync(390, 844);
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/journey-map?to={DashboardFixture.LastDay}", "journey-map");
            Assert.True((await ChartReader.ReadAsync(page, "journey-map")).Points > 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "journey-map-phone.png"), FullPage = true });
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/segments?to={DashboardFixture.LastDay}", "segments");
            Assert.True((await ChartReader.ReadAsync(page, "rfm")).Points > 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "segments-phone.png"), FullPage = true });

            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_journey_map_marks_stages_without_a_touchpoint_as_gaps()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.GapsProject.ReadKey);
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, "#/journey-map?model=aida", "journey-map");
            var note = await page.InnerTextAsync("main .gap-note");
            foreach (var stage in new[] { "Interest", "Desire", "Action" })
            {
                Assert.Contains(stage, note, StringComparison.OrdinalIgnoreCase);
            }

            Assert.DoesNotContain("Attention", note, StringComparison.OrdinalIgnoreCase);
            var labels = await ChartReader.AxisAsync(page, "journey-map", "yAxis");
            Assert.Equal(3, labels.Split('|').Count(l => l.EndsWith("(gap)", StringComparison.Ordinal)));

            // The stages chart draws the gaps' bars in red: reached (2 at action) but met by nothing.
            var red = await page.EvaluateAsync<int>(
                "() => echarts.getInstanceByDom(document.querySelector('[data-chart=stages]')).getOption().series[0].data.filter(d => d && d.itemStyle && d.itemStyle.color === '#c0392b').length");
            Assert.Equal(3, red);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "journey-map-gaps.png"), FullPage = true });
            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task Paths_and_graph_filters_live_in_the_url_and_change_what_is_drawn()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);

            // Paths: fewer steps deep means fewer bands; looking back from purchase draws another flow.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/paths?to={DashboardFixture.LastDay}", "paths");
            var deep = await ChartReader.ReadAsync(page, "paths");
            var renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-depth", "1");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("depth=1", page.Url, StringComparison.Ordinal);
            var shallow = await ChartReader.ReadAsync(page, "paths");
            Assert.True(shallow.Links > 0 && shallow.Links < deep.Links, $"depth 1 draws fewer bands ({shallow.Links}) than depth 3 ({deep.Links})");

            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/paths?to={DashboardFixture.LastDay}&direction=before&event=purchase&depth=2", "paths");
            var before = await ChartReader.ReadAsync(page, "paths");
            Assert.True(before.Links > 0, "the flow before purchase has bands");
            Assert.Contains("before their first purchase", await page.InnerTextAsync("main .lead"), StringComparison.Ordinal);
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("main[data-view=paths][data-state=ready]", new() { Timeout = 90_000 });
            Assert.Equal("before", await page.InputValueAsync("#filter-direction"));
            Assert.Equal("purchase", await page.InputValueAsync("#filter-event"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "paths-before-purchase.png"), FullPage = true });

            // An event nobody has: the view says why there is nothing to draw.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/paths?to={DashboardFixture.LastDay}&event=no_such_event", "paths");
            Assert.Contains("no_such_event", await page.InnerTextAsync("main .empty"), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("[data-chart=paths]").CountAsync());

            // Graph: showing every edge draws more of them; bright paths are highlighted on demand, black holes marked.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/graph?to={DashboardFixture.LastDay}", "graph");
            var pruned = await ChartReader.ReadAsync(page, "graph");
            Assert.Equal(0, pruned.Bright);
            Assert.True(pruned.Holes > 0, "black holes are marked on the graph");
            renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-min", "0");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("min=0", page.Url, StringComparison.Ordinal);
            var all = await ChartReader.ReadAsync(page, "graph");
            Assert.True(all.Links > pruned.Links, $"all edges ({all.Links}) are more than those of 5% and up ({pruned.Links})");

            renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-bright", "3");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("bright=3", page.Url, StringComparison.Ordinal);
            var bright = await ChartReader.ReadAsync(page, "graph");
            Assert.True(bright.Bright > 0, "the bright paths' edges are highlighted");
            Assert.Contains("Bright paths", await page.InnerTextAsync("main"), StringComparison.Ordinal);
            Assert.True(await page.Locator("main table").CountAsync() >= 2, "black holes and bright paths are listed");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "graph-bright-paths.png"), FullPage = true });

            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task Segments_and_journey_map_filters_change_what_is_drawn_and_segments_open_their_funnel()
    {
        var (context, page, errors) = await BrowserPages.OpenAsync(server.Browser, 1280, 900);
        try
        {
            await DashboardPage.SignInAsync(page, server.BaseUrl, server.Project.ReadKey);

            // Segments: colour by revenue instead of customers changes the cells' values.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/segments?to={DashboardFixture.LastDay}", "segments");
            var people = await ChartReader.ReadAsync(page, "abc-xyz");
            var renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-measure", "revenue");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("measure=revenue", page.Url, StringComparison.Ordinal);
            var revenue = await ChartReader.ReadAsync(page, "abc-xyz");
            Assert.True(revenue.Sum > people.Sum, $"revenue per cell ({revenue.Sum}) differs from customers per cell ({people.Sum})");

            // A segment's link, followed with the keyboard, opens the funnel filtered to that segment, with the same steps and end date.
            var link = page.Locator("main a[data-segment='Champions']").First;
            Assert.Contains("segment=rfm%3AChampions", await link.GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
            await link.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForSelectorAsync("main[data-view=funnel][data-state=ready], main[data-view=funnel][data-state=error]", new() { Timeout = 90_000 });
            Assert.True(await page.GetAttributeAsync("main", "data-state") == "ready", $"the segment's funnel ({page.Url}) failed: {await page.InnerTextAsync("main")}");
            Assert.Contains("segment=rfm%3AChampions", page.Url, StringComparison.Ordinal);
            Assert.Contains("Champions", await page.InnerTextAsync("main .scope"), StringComparison.Ordinal);
            Assert.Equal("rfm:Champions", await page.InputValueAsync("#filter-segment"));
            Assert.Contains("to=" + DashboardFixture.LastDay, page.Url, StringComparison.Ordinal);
            Assert.True(await ChartReader.PointsAsync(page, "funnel") > 0);

            // Before any purchase the segments are empty, and the view says why.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, "#/segments?to=2025-01-01", "segments");
            Assert.Contains("Nobody has bought anything", await page.InnerTextAsync("main"), StringComparison.Ordinal);

            // Journey map: another stage model draws other stages; touchpoints by event draw other columns.
            await DashboardPage.OpenViewAsync(page, server.BaseUrl, $"#/journey-map?to={DashboardFixture.LastDay}", "journey-map");
            var journey = await ChartReader.AxisAsync(page, "journey-map", "yAxis");
            var channels = await ChartReader.AxisAsync(page, "journey-map", "xAxis");
            renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-model", "aida");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.Contains("model=aida", page.Url, StringComparison.Ordinal);
            Assert.NotEqual(journey, await ChartReader.AxisAsync(page, "journey-map", "yAxis"));
            renders = await DashboardPage.RendersAsync(page);
            await page.SelectOptionAsync("#filter-touch", "event");
            await DashboardPage.WaitForRenderAsync(page, renders);
            Assert.NotEqual(channels, await ChartReader.AxisAsync(page, "journey-map", "xAxis"));
            Assert.True((await ChartReader.ReadAsync(page, "journey-map")).Points > 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "journey-map-aida-events.png"), FullPage = true });

            Assert.True(errors.Count == 0, "console errors or page errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
