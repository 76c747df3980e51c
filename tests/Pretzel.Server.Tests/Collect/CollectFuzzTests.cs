using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>
/// Property tests: whatever bytes arrive at the collector, the answer is 200, 400 or 413 with a JSON
/// body in the documented shape, never a 500, and the server keeps serving.
/// </summary>
public sealed class CollectFuzzTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private static readonly HashSet<HttpStatusCode> Allowed = [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge];

    private static readonly byte[] ValidBatch = Utf8(JsonSerializer.Serialize(new
    {
        sentAt = "2025-06-01T12:00:00.000Z",
        batch = new object[]
        {
            new
            {
                type = "track", @event = "Order Completed", anonymousId = "fuzz-anon", userId = "fuzz-user", messageId = "fuzz-1",
                timestamp = "2025-06-01T11:59:00.000Z",
                properties = new { revenue = 12.5, currency = "EUR", items = new[] { new { sku = "a", qty = 2 } } },
                context = new { campaign = new { source = "google", medium = "cpc", name = "x" }, page = new { url = "https://e.example/", referrer = "https://google.com/" }, userAgent = "UA", ip = "1.2.3.4" },
            },
            new { type = "identify", anonymousId = "fuzz-anon", userId = "fuzz-user", traits = new { email = "e@example.com" } },
            new { type = "alias", previousId = "fuzz-anon", userId = "fuzz-user" },
            new { type = "group", userId = "fuzz-user", groupId = "g" },
            new { type = "page", anonymousId = "fuzz-anon", name = "Home", properties = new { title = "Ünïcödé 🥨" } },
        },
    }));

    /// <summary>Tokens that are likely to hit edge cases when spliced into a valid body.</summary>
    private static readonly string[] Splices =
    [
        "\\ud800", "\\udfff", "\\u0000", "\"", "\\", "{", "}", "[", "]", ",", ":", "null", "true", "1e999", "-0", "NaN",
        "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"2025-02-30\"", "{\"type\":\"alias\"}", "\"anon:x\"", "\u00e9", "\ud83e\udd68",
        "\"timestamp\":1e300,", "\"sentAt\":\"0001-01-01\",", "\"writeKey\":\"x\",", "\"type\":\"identify\",", "\"properties\":[],",
        "\"messageId\":{},", "\"context\":{\"campaign\":[]},", "\"traits\":\"t\",", "\"revenue\":\"abc\",", "\"currency\":\"euro\",",
        new string('[', 40), new string('a', 40_000),
    ];

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 3000];

    private static readonly Gen<byte[]> Mutated = Gen.Frequency(
        (3, Gen.Int[0, ValidBatch.Length].Select(n => ValidBatch[..n])), // truncation
        (3, Gen.Select(Gen.Int[0, ValidBatch.Length - 1], Gen.Byte).Array[1, 8].Select(flips =>
        {
            var copy = (byte[])ValidBatch.Clone();
            foreach (var (at, value) in flips)
            {
                copy[at] = value;
            }

            return copy;
        })),
        (3, Gen.Select(Gen.Int[0, ValidBatch.Length], Gen.OneOf(Splices), Gen.Int[0, 12]).Array[1, 4].Select(edits =>
        {
            var text = Encoding.UTF8.GetString(ValidBatch);
            foreach (var (at, splice, cut) in edits)
            {
                var i = Math.Min(at, text.Length);
                var end = Math.Min(text.Length, i + cut);
                text = text[..i] + splice + text[end..];
            }

            return Utf8(text);
        })),
        (1, Gen.Int[0, ValidBatch.Length - 1].Array[1, 6].Select(deletions =>
        {
            var list = ValidBatch.ToList();
            foreach (var at in deletions.OrderDescending())
            {
                if (at < list.Count)
                {
                    list.RemoveAt(at);
                }
            }

            return list.ToArray();
        })));

    private async Task AssertWellBehaved(HttpClient client, string path, byte[] body, string? encoding = null)
    {
        using var response = await client.PostBytes(path, body, encoding);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(Allowed.Contains(response.StatusCode), $"{(int)response.StatusCode} for {Describe(body)}: {text[..Math.Min(400, text.Length)]}");
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(response.StatusCode == HttpStatusCode.OK, root.GetProperty("success").GetBoolean());
        if (response.StatusCode != HttpStatusCode.OK)
        {
            AssertErrorShape(root);
        }
        else
        {
            Assert.Equal(root.GetProperty("rejected").GetInt32(), root.GetProperty("errors").GetArrayLength());
        }
    }

    private static string Describe(byte[] body) => Convert.ToBase64String(body.AsSpan(0, Math.Min(body.Length, 600)));

    [Fact]
    public async Task Random_bytes_never_cause_a_server_error()
    {
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        await RandomBytes.SampleAsync(body => AssertWellBehaved(client, "/v1/batch", body), iter: 300, threads: 1);
        await RandomBytes.SampleAsync(body => AssertWellBehaved(client, "/v1/track", body), iter: 100, threads: 1);
    }

    [Fact]
    public async Task Mutations_of_a_valid_batch_never_cause_a_server_error()
    {
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        await Mutated.SampleAsync(body => AssertWellBehaved(client, "/v1/batch", body), iter: 600, threads: 1);
        await AssertWellBehaved(client, "/v1/batch", ValidBatch);
    }

    [Fact]
    public async Task Mutated_gzip_bodies_never_cause_a_server_error()
    {
        var gz = Gzip(ValidBatch);
        var gen = Gen.Frequency(
            (1, Gen.Int[0, gz.Length].Select(n => gz[..n])),
            (2, Gen.Select(Gen.Int[0, gz.Length - 1], Gen.Byte).Array[1, 4].Select(flips =>
            {
                var copy = (byte[])gz.Clone();
                foreach (var (at, value) in flips)
                {
                    copy[at] = value;
                }

                return copy;
            })),
            (1, Mutated.Select(Gzip)));
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        await gen.SampleAsync(body => AssertWellBehaved(client, "/v1/batch", body, "gzip"), iter: 300, threads: 1);
    }

    [Fact]
    public async Task Random_single_event_objects_never_cause_a_server_error()
    {
        // Structurally valid JSON objects with random keys and values of random kinds.
        var key = Gen.OneOf("type", "event", "anonymousId", "userId", "previousId", "groupId", "messageId", "timestamp", "sentAt",
            "properties", "traits", "context", "revenue", "currency", "channel", "receivedAt", "name", "writeKey", "batch");
        var leaf = Gen.OneOf<object?>(
            Gen.String.Select(s => (object?)s),
            Gen.Double.Select(d => (object?)(double.IsFinite(d) ? d : 0)),
            Gen.Bool.Select(b => (object?)b),
            Gen.Int[0, 1].Select(_ => (object?)null),
            Gen.OneOf("track", "page", "alias", "2025-01-01T00:00:00Z", "anon:x", "").Select(s => (object?)s),
            Gen.DateTime.Select(d => (object?)d.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        var value = Gen.Frequency(
            (4, leaf),
            (1, Gen.Dictionary(key, leaf)[0, 4].Select(d => (object?)d)),
            (1, leaf.List[0, 3].Select(l => (object?)l)));
        var message = Gen.Dictionary(key, value)[0, 10];
        var endpoint = Gen.OneOf("/v1/track", "/v1/page", "/v1/identify", "/v1/alias", "/v1/group", "/v1/screen");
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        await Gen.Select(endpoint, message).SampleAsync((path, m) =>
            AssertWellBehaved(client, path, Utf8(JsonSerializer.Serialize(m))), iter: 400, threads: 1);
        await message.List[0, 5].SampleAsync(ms =>
            AssertWellBehaved(client, "/v1/batch", Utf8(JsonSerializer.Serialize(new { batch = ms }))), iter: 200, threads: 1);
    }

    [Fact]
    public async Task After_all_that_the_server_still_stores_events()
    {
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        await Mutated.SampleAsync(body => AssertWellBehaved(client, "/v1/batch", body), iter: 50, threads: 1);
        var anon = NewId("after");
        await (await client.PostObject("/v1/track", new { @event = "After fuzz", anonymousId = anon })).Expect(HttpStatusCode.OK);
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
        // And everything the collector accepted made it into the store (no line refused on the way).
        var rejects = Path.Combine(server.DataDirectory, "shop", "wal-rejects");
        Assert.True(!Directory.Exists(rejects) || Directory.GetFiles(rejects, "*.jsonl").Length == 0, "a write-ahead-log line was refused by the store import");
    }
}
