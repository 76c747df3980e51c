using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Api;

/// <summary>/health, /metrics, /openapi/v1.json, /pretzel.js and CORS on the collector.</summary>
public sealed partial class OperationsTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private const string Origin = "https://www.shop.example";

    [Fact]
    public async Task Health_is_200_json()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/health");
        var body = await response.Expect(HttpStatusCode.OK);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("projects").GetInt32());
    }

    private static double Metric(string text, string name, string labels = "")
    {
        var pattern = "^" + Regex.Escape(name) + (labels.Length > 0 ? Regex.Escape("{" + labels + "}") : @"(\{[^}]*\})?") + @" (\S+)$";
        return Regex.Matches(text, pattern, RegexOptions.Multiline).Sum(m => double.Parse(m.Groups[^1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_and_move_after_requests()
    {
        using var client = server.CreateClient();
        using var writer = server.ClientWithKey(server.Shop.WriteKey);
        await (await writer.PostObject("/v1/track", new { @event = "Warm up", anonymousId = NewId("m") })).Expect(HttpStatusCode.OK);
        await server.Flush();

        using var first = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.StartsWith("text/plain", first.Content.Headers.ContentType!.ToString());
        var before = await first.Content.ReadAsStringAsync();
        foreach (var name in new[] { "pretzel_events_accepted_total", "pretzel_events_rejected_total", "pretzel_queue_events", "pretzel_wal_sync_seconds" })
        {
            Assert.Contains("# TYPE " + name, before);
        }

        var accepted = Metric(before, "pretzel_events_accepted_total", "project=\"shop\"");
        var rejected = Metric(before, "pretzel_events_rejected_total");
        var syncs = Metric(before, "pretzel_wal_sync_seconds_count");
        var storedBefore = Metric(before, "pretzel_events_stored_total", "project=\"shop\"");

        var anon = NewId("m");
        await (await writer.PostObject("/v1/batch", new
        {
            batch = new object[]
            {
                new { type = "track", @event = "A", anonymousId = anon },
                new { type = "track", @event = "B", anonymousId = anon },
                new { type = "track", anonymousId = anon }, // no event
            },
        })).Expect(HttpStatusCode.OK);
        await server.Flush();

        var after = await client.GetStringAsync("/metrics");
        Assert.Equal(accepted + 2, Metric(after, "pretzel_events_accepted_total", "project=\"shop\""));
        Assert.Equal(rejected + 1, Metric(after, "pretzel_events_rejected_total"));
        Assert.Equal(1, Metric(after, "pretzel_events_rejected_total", "project=\"shop\",code=\"missing_field\"") - Metric(before, "pretzel_events_rejected_total", "project=\"shop\",code=\"missing_field\""));
        Assert.True(Metric(after, "pretzel_wal_sync_seconds_count") > syncs, "the log sync histogram did not move");
        Assert.Equal(storedBefore + 2, Metric(after, "pretzel_events_stored_total", "project=\"shop\""));
        Assert.Equal(0, Metric(after, "pretzel_queue_events", "project=\"shop\""));
    }

    [Fact]
    public async Task OpenApi_document_lists_the_collector_and_the_query_api()
    {
        using var client = server.CreateClient();
        var doc = await (await client.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        Assert.Equal("Pretzel", doc.GetProperty("info").GetProperty("title").GetString());
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/v1/batch", "/v1/track", "/v1/page", "/v1/identify", "/v1/alias", "/v1/group", "/v1/screen", "/api/v1/sql", "/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path + " is missing from the OpenAPI document");
        }

        Assert.True(paths.GetProperty("/v1/batch").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/sql").TryGetProperty("post", out _));
        Assert.False(paths.TryGetProperty("/v1/t", out _), "short aliases are not documented");
    }

    [Fact]
    public async Task Snippet_is_served_as_javascript()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/pretzel.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("javascript", response.Content.Headers.ContentType!.MediaType);
        var js = await response.Content.ReadAsStringAsync();
        Assert.Contains("/v1/batch", js);
        Assert.Contains("function", js);
    }

    private static HttpRequestMessage Post(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", Origin);
        return request;
    }

    [Theory]
    [InlineData("/v1/track", true, HttpStatusCode.OK)]
    [InlineData("/v1/batch", true, HttpStatusCode.BadRequest)]
    [InlineData("/v1/t", false, HttpStatusCode.Unauthorized)]
    public async Task Collector_responses_allow_any_origin(string path, bool withKey, HttpStatusCode status)
    {
        using var client = withKey ? server.ClientWithKey(server.Shop.WriteKey) : server.CreateClient();
        var json = JsonSerializer.Serialize(new { @event = "Cors", anonymousId = NewId("c") });
        using var response = await client.SendAsync(Post(path, json));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Collector_errors_for_size_and_encoding_allow_any_origin_too()
    {
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        using var tooLarge = await client.SendAsync(Post("/v1/track", JsonSerializer.Serialize(new { @event = "x", anonymousId = "a", p = new string('x', 40_000) })));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("*", tooLarge.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var bad = Post("/v1/batch", "{}");
        bad.Content!.Headers.TryAddWithoutValidation("Content-Encoding", "br");
        using var unsupported = await client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal("*", unsupported.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("/v1/batch")]
    [InlineData("/v1/track")]
    [InlineData("/v1/p")]
    public async Task Preflight_is_answered(string path)
    {
        using var client = server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type, authorization, content-encoding");
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"preflight got {(int)response.StatusCode}");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed);
        Assert.Contains("content-type", allowed);
    }
}
