using System.Text.Json;
using Microsoft.Playwright;
using Pretzel.Browser.Tests.Support;

namespace Pretzel.Browser.Tests;

/// <summary>
/// pretzel.js in a real browser (headless Chromium): a shop on another origin loads the snippet from the
/// collector, and what the visitor does ends up in the project's store, read back through the query API.
/// </summary>
public sealed class SnippetBrowserTests(CollectorFixture server) : IClassFixture<CollectorFixture>
{
    [Fact]
    public async Task A_visit_from_a_newsletter_is_collected_across_pages_and_attributed_to_the_user_who_logs_in()
    {
        var project = server.Project("site");
        var shop = await ShopSite.OpenAsync(server.Browser, server.CollectorUrl, project.WriteKey);
        try
        {
            // 1. Landing page with UTM parameters: the snippet loads from the collector and sends a page view.
            var landing = await shop.ExpectBatchAsync(() =>
                shop.Page.GotoAsync(ShopSite.Origin + "/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring"));
            await ExpectAccepted(landing, 1, "automatic page view");
            var anonymousId = await shop.Page.EvaluateAsync<string>("pretzel.anonymousId()");
            Assert.Matches("^[0-9a-f-]{36}$", anonymousId);
            var cookie = Assert.Single(await shop.Context.CookiesAsync(), c => c.Name == "pz_aid");
            Assert.Equal(anonymousId, cookie.Value);
            Assert.True(cookie.Secure, "pz_aid is set with Secure on an https page");

            // 2. Buy, then log in: each click is one batch (the snippet waits 500 ms before sending).
            await ExpectAccepted(await shop.ExpectBatchAsync(() => shop.Page.ClickAsync("#buy")), 1, "track Order Completed");
            await ExpectAccepted(await shop.ExpectBatchAsync(() => shop.Page.ClickAsync("#login")), 1, "identify user-42");

            // 3. A second page of the same site: the cookie keeps the anonymous id, the user id is remembered.
            await ExpectAccepted(await shop.ExpectBatchAsync(() => shop.Page.GotoAsync(ShopSite.Origin + "/pricing")), 1, "page view of /pricing");
            Assert.Equal(anonymousId, await shop.Page.EvaluateAsync<string>("pretzel.anonymousId()"));

            Assert.True(shop.PageErrors.Count == 0, "JS exceptions in the page: " + string.Join(" | ", shop.PageErrors));
            Assert.True(shop.ConsoleErrors.Count == 0, "console errors in the page: " + string.Join(" | ", shop.ConsoleErrors));
            Assert.All(shop.BatchStatuses, s => Assert.Equal(200, s));

            // 4. What the store holds, once the collector has moved everything out of its write-ahead log.
            await project.WaitForStoreAsync();
            var rows = await project.SqlAsync(
                $"select type, event, anonymous_id, user_id, channel, source, medium, campaign, revenue, currency, properties "
                + $"from events where anonymous_id = '{anonymousId}' order by timestamp, message_id");
            var summary = string.Join("\n", rows.Select(r => r.GetRawText()));
            Assert.True(rows.Length == 4, $"expected 4 events (page, track, identify, page), got {rows.Length}:\n{summary}\nThe collector saw:\n{server.ServerHistory}");
            // The project is this test's alone: every event it holds carries the one anonymous id.
            var ids = Assert.Single(await project.SqlAsync("select count(*) as events, count(distinct anonymous_id) as ids, min(anonymous_id) as id from events"));
            Assert.Equal(4, ids.GetProperty("events").GetInt64());
            Assert.Equal(1, ids.GetProperty("ids").GetInt64());
            Assert.Equal(anonymousId, Str(ids, "id"));

            var pages = rows.Where(r => Str(r, "type") == "page").ToArray();
            Assert.Equal(2, pages.Length);
            var landingView = Assert.Single(pages, p => Path(p) == "/landing");
            Assert.Equal("newsletter", Str(landingView, "source"));
            Assert.Equal("email", Str(landingView, "medium"));
            Assert.Equal("spring", Str(landingView, "campaign"));
            Assert.Equal("email", Str(landingView, "channel"));
            Assert.Null(Str(landingView, "user_id"));
            var pricingView = Assert.Single(pages, p => Path(p) == "/pricing");
            Assert.Equal("user-42", Str(pricingView, "user_id"));

            var order = Assert.Single(rows, r => Str(r, "type") == "track");
            Assert.Equal("Order Completed", Str(order, "event"));
            Assert.Equal(42m, Number(order, "revenue"));
            Assert.Equal("EUR", Str(order, "currency"));

            var identify = Assert.Single(rows, r => Str(r, "type") == "identify");
            Assert.Equal("user-42", Str(identify, "user_id"));

            // 5. The identify ties the anonymous visit, from before the login too, to the person user-42.
            var persons = await project.SqlAsync($"select distinct person_id from person_events where anonymous_id = '{anonymousId}'");
            var person = Assert.Single(persons);
            Assert.Equal("user-42", Str(person, "person_id"));
        }
        finally
        {
            await shop.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Events_still_queued_when_the_page_is_hidden_are_sent_by_beacon()
    {
        var project = server.Project("beacon");
        var shop = await ShopSite.OpenAsync(server.Browser, server.CollectorUrl, project.WriteKey);
        try
        {
            await ExpectAccepted(await shop.ExpectBatchAsync(() => shop.Page.GotoAsync(ShopSite.Origin + "/landing")), 1, "automatic page view");
            var anonymousId = await shop.Page.EvaluateAsync<string>("pretzel.anonymousId()");

            // The click queues the order for 500 ms; pagehide, in the same task, sends it at once with
            // navigator.sendBeacon. The event is dispatched on a page that stays: when the page really unloads,
            // Chromium (156, headless, under Playwright) loses about one beacon in twenty before it reaches the
            // collector (seen with a server-side request log: sendBeacon returned true, no request arrived),
            // and under Playwright's routing it loses them all. The browser's part is not under test here; the
            // snippet's is: queue drained, timer cancelled, a beacon the collector accepts.
            var beacon = await shop.ExpectBatchAsync(() =>
                shop.Page.EvaluateAsync("document.querySelector('#buy').click(); window.dispatchEvent(new Event('pagehide'));"));
            Assert.Equal("ping", beacon.Request.ResourceType); // what Chromium calls a beacon
            // A beacon's answer is not readable (its body never reaches the page); the store below shows what was kept.
            Assert.Equal(200, beacon.Status);

            // The snippet's timer was cancelled: nothing else is sent.
            await Task.Delay(1000);
            lock (shop.BatchStatuses)
            {
                Assert.Equal([200, 200], shop.BatchStatuses);
            }

            await project.WaitForStoreAsync();
            var order = Assert.Single(await project.SqlAsync($"select event, revenue, currency from events where type = 'track' and anonymous_id = '{anonymousId}'"));
            Assert.Equal("Order Completed", Str(order, "event"));
            Assert.Equal(42m, Number(order, "revenue"));
            Assert.Equal("EUR", Str(order, "currency"));
            Assert.True(shop.PageErrors.Count == 0, "JS exceptions in the page: " + string.Join(" | ", shop.PageErrors));
            Assert.True(shop.ConsoleErrors.Count == 0, "console errors in the page: " + string.Join(" | ", shop.ConsoleErrors));
        }
        finally
        {
            await shop.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_wrong_write_key_is_refused_without_disturbing_the_page()
    {
        var shop = await ShopSite.OpenAsync(server.Browser, server.CollectorUrl, "wk_not_a_key_of_this_server");
        try
        {
            var response = await shop.ExpectBatchAsync(() => shop.Page.GotoAsync(ShopSite.Origin + "/landing?utm_source=newsletter"));
            Assert.Equal(401, response.Status);
            // The refusal carries CORS headers, so the snippet sees a 401 (and gives up) instead of a network error (and retries).
            Assert.Equal("*", await response.HeaderValueAsync("access-control-allow-origin"));

            // The page keeps working: the API exists, calls return normally, clicks raise nothing.
            Assert.Equal("function", await shop.Page.EvaluateAsync<string>("typeof pretzel.track"));
            Assert.Equal(401, (await shop.ExpectBatchAsync(() => shop.Page.ClickAsync("#buy"))).Status);
            await shop.Page.ClickAsync("#login");
            await shop.Page.EvaluateAsync("pretzel.flush()");

            // A 4xx is not retried: past the first retry delay (1 to 1.5 s) there are still only the three requests.
            await Task.Delay(2000);
            lock (shop.BatchStatuses)
            {
                Assert.Equal([401, 401, 401], shop.BatchStatuses);
            }

            Assert.True(shop.PageErrors.Count == 0, "JS exceptions in the page: " + string.Join(" | ", shop.PageErrors));
        }
        finally
        {
            await shop.Context.CloseAsync();
        }
    }

    private static async Task ExpectAccepted(IResponse response, int accepted, string what)
    {
        var body = await response.TextAsync();
        Assert.True(response.Status == 200, $"{what}: POST /v1/batch answered {response.Status}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.True(doc.RootElement.GetProperty("accepted").GetInt32() == accepted, $"{what}: expected {accepted} accepted: {body}");
    }

    private static string? Str(JsonElement row, string column) =>
        row.GetProperty(column) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static decimal? Number(JsonElement row, string column) => row.GetProperty(column) switch
    {
        { ValueKind: JsonValueKind.Number } v => v.GetDecimal(),
        { ValueKind: JsonValueKind.String } v => decimal.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>properties.path of a page event (the store may return properties as JSON text).</summary>
    private static string? Path(JsonElement row)
    {
        var p = row.GetProperty("properties");
        if (p.ValueKind == JsonValueKind.String)
        {
            using var doc = JsonDocument.Parse(p.GetString()!);
            return doc.RootElement.TryGetProperty("path", out var path) ? path.GetString() : null;
        }

        return p.TryGetProperty("path", out var q) ? q.GetString() : null;
    }
}
