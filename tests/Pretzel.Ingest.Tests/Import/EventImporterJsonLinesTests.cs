using System.Text.Json.Nodes;
using Pretzel.Ingest.Import;

namespace Pretzel.Ingest.Tests.Import;

public sealed class EventImporterJsonLinesTests : IDisposable
{
    private readonly ImportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ImportFileAsync_SegmentCamelCaseMessages_MapToEventFields()
    {
        var path = _f.Write("segment.jsonl", """
            {"messageId":"seg-1","type":"track","event":"Order Completed","anonymousId":"anon-1","userId":"user-1","timestamp":"2025-03-01T12:00:00.123456Z","receivedAt":"2025-03-01T12:00:01Z","channel":"browser","context":{"campaign":{"source":"Newsletter","medium":"email","name":"spring","content":"hero","term":"shoes"},"page":{"referrer":"https://example.com/","url":"https://shop.example/checkout"}},"properties":{"revenue":49.5,"currency":"eur","sku":"X1"}}
            {"messageId":"seg-2","type":"identify","anonymousId":"anon-2","userId":"user-2","timestamp":"2025-03-01T12:05:00Z","channel":"server","traits":{"email":"a@example.com","plan":"pro"}}
            {"messageId":"seg-3","type":"page","name":"Home","anonymousId":"anon-3","timestamp":"2025-03-01T12:06:00Z","channel":"mobile"}
            {"messageId":"seg-4","type":"alias","previousId":"anon-3","userId":"user-3","timestamp":"2025-03-01T12:07:00Z"}
            {"messageId":"seg-5","type":"group","groupId":"acme","userId":"user-3","timestamp":"2025-03-01T12:08:00Z"}
            """);

        var report = await _f.Import(path);

        Assert.Equal((5, 0), (report.Written, report.Rejected));
        var track = Assert.Single((await _f.Query("""
            select type, event, anonymous_id, user_id, timestamp, received_at, source, medium, campaign, content, term,
                   referrer, revenue, currency, channel, properties
            from events where message_id = 'seg-1'
            """)).Rows);
        Assert.Equal(
            ["track", "Order Completed", "anon-1", "user-1", new DateTime(2025, 3, 1, 12, 0, 0).AddTicks(1_234_560), new DateTime(2025, 3, 1, 12, 0, 1),
             "newsletter", "email", "spring", "hero", "shoes", "https://example.com/", 49.5, "EUR", "email"],
            track[..^1]);
        var properties = JsonNode.Parse((string)track[^1]!)!;
        Assert.Equal("X1", properties["sku"]!.GetValue<string>());
        Assert.Equal("https://shop.example/checkout", properties["url"]!.GetValue<string>());
        Assert.Equal("browser", properties["channel"]!.GetValue<string>());

        var identify = Assert.Single((await _f.Query("select type, anonymous_id, user_id, properties from events where message_id = 'seg-2'")).Rows);
        Assert.Equal(["identify", "anon-2", "user-2"], identify[..^1]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"email":"a@example.com","plan":"pro","channel":"server"}"""), JsonNode.Parse((string)identify[^1]!)));

        Assert.Equal(["page", "Home"], Assert.Single((await _f.Query("select type, event from events where message_id = 'seg-3'")).Rows));
        Assert.Equal(["alias", "anon-3", "user-3"], Assert.Single((await _f.Query("select type, previous_id, user_id from events where message_id = 'seg-4'")).Rows));
        Assert.Equal(["group", "acme"], Assert.Single((await _f.Query("select type, group_id from events where message_id = 'seg-5'")).Rows));
    }

    // Segment's top-level "channel" is the library that sent the message, not a marketing channel.
    [Theory]
    [InlineData("browser")]
    [InlineData("server")]
    [InlineData("mobile")]
    [InlineData("client")]
    public async Task ImportFileAsync_SegmentLibraryChannel_IsNotTakenAsTheMarketingChannel(string library)
    {
        var path = _f.Write("segment.jsonl",
            "{\"messageId\":\"s1\",\"type\":\"page\",\"anonymousId\":\"a1\",\"timestamp\":\"2025-03-01T12:00:00Z\",\"channel\":\"" + library
            + "\",\"context\":{\"campaign\":{\"source\":\"google\",\"medium\":\"cpc\"}}}\n");

        await _f.Import(path);

        Assert.Equal("paid_search", await _f.Scalar("select channel from events"));
    }

    [Fact]
    public async Task ImportFileAsync_SnakeCaseWithMarketingChannel_KeepsTheChannel()
    {
        var path = _f.Write("pretzel.jsonl", """
            {"message_id":"p1","type":"track","event":"call","user_id":"u1","timestamp":"2025-03-01T12:00:00Z","channel":"Offline Call","revenue":"12.5","properties":{"agent":"kim"}}
            """);

        await _f.Import(path);

        var row = Assert.Single((await _f.Query("select channel, revenue, properties->>'agent' from events")).Rows);
        Assert.Equal(["offline_call", 12.5, "kim"], row);
    }

    [Fact]
    public async Task ImportFileAsync_BadJsonLines_AreRejectedWithTheirLineAndTheOthersKept()
    {
        var path = _f.Write("mixed.jsonl",
            "{\"message_id\":\"m1\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"a\"}\n"
            + "\n"
            + "{\"message_id\":\"m2\",\"timestamp\":\"2025-03-01\",\n"
            + "[1,2,3]\n"
            + "{\"message_id\":\"m4\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"a\",\"properties\":[1]}\n"
            + "{\"message_id\":\"m5\",\"timestamp\":\"2025-03-01\",\"user_id\":{\"id\":1},\"event\":\"a\"}\n"
            + "{\"message_id\":\"m6\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"a\"}\r\n");

        var report = await _f.Import(path);

        Assert.Equal(2, report.Written);
        Assert.Equal([3L, 4L, 5L, 6L], report.Errors.Select(e => e.Line));
        Assert.Contains("not valid JSON", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object", report.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Equal("properties", report.Errors[2].Column);
        Assert.Equal("user_id", report.Errors[3].Column);
    }

    [Fact]
    public async Task ImportFileAsync_JsonLinesWithColumnMap_RenamesKeys()
    {
        var path = _f.Write("crm.ndjson", """
            {"id":"c1","customer":"u9","at":1740832200,"what":"signup","drop_me":"x","tier":"gold"}
            """);
        var options = new ImportOptions
        {
            ColumnMap = new Dictionary<string, string> { ["id"] = "message_id", ["customer"] = "user_id", ["at"] = "timestamp", ["what"] = "event", ["drop_me"] = "-", ["tier"] = "properties.level" },
        };

        var report = await _f.Import(path, options);

        Assert.Equal(1, report.Written);
        var row = Assert.Single((await _f.Query("select message_id, user_id, timestamp, event, properties from events")).Rows);
        Assert.Equal(["c1", "u9", new DateTime(2025, 3, 1, 12, 30, 0)], row[..3]);
        Assert.Equal("signup", row[3]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"level":"gold"}"""), JsonNode.Parse((string)row[4]!)), (string)row[4]!);
    }

    [Fact]
    public async Task ImportFileAsync_JsonLinesTwice_SecondAddsNothing()
    {
        var path = _f.Write("twice.jsonl", """
            {"timestamp":"2025-03-01","user_id":"u1","event":"a"}
            {"timestamp":"2025-03-01","user_id":"u1","event":"a"}
            {"message_id":"m3","timestamp":"2025-03-01","user_id":"u1","event":"a"}
            """);

        var first = await _f.Import(path);
        var second = await _f.Import(path);

        Assert.Equal((3, 0), (first.Written, first.Duplicates));
        Assert.Equal((0, 3), (second.Written, second.Duplicates));
    }
}
