using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Size limits, compression and unreadable bodies; after every bad request the server still serves.</summary>
public sealed class CollectBodyTests(PretzelServerFactory server) : IClassFixture<PretzelServerFactory>
{
    private HttpClient Writer() => server.ClientWithKey(server.Shop.WriteKey);

    /// <summary>A valid request right after a bad one must still be stored.</summary>
    private async Task AssertStillServing()
    {
        var anon = NewId("alive");
        using var client = Writer();
        var body = await (await client.PostObject("/v1/track", new { @event = "Alive", anonymousId = anon })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    private static string BatchOf(string anon, int messages, int padding) =>
        JsonSerializer.Serialize(new
        {
            batch = Enumerable.Range(0, messages).Select(i => new
            {
                type = "track",
                @event = "Padded",
                anonymousId = anon,
                messageId = anon + "-" + i,
                properties = new { pad = new string('x', padding) },
            }),
        });

    [Fact]
    public async Task A_batch_just_under_500_KB_is_accepted()
    {
        var anon = NewId("big");
        var json = BatchOf(anon, 16, 30_000);
        Assert.InRange(Encoding.UTF8.GetByteCount(json), 400 * 1024, 500 * 1024);
        using var client = Writer();
        var body = await (await client.PostJson("/v1/batch", json)).Expect(HttpStatusCode.OK);
        Assert.Equal(16, body.GetProperty("accepted").GetInt32());
        Assert.Equal(16, (await server.EventsOf(server.Shop.ReadKey, anon)).Length);
    }

    [Fact]
    public async Task A_batch_over_500_KB_is_413_batch_too_large()
    {
        var anon = NewId("huge");
        var json = BatchOf(anon, 20, 30_000);
        Assert.True(Encoding.UTF8.GetByteCount(json) > 500 * 1024);
        using var client = Writer();
        await (await client.PostJson("/v1/batch", json)).ExpectError(HttpStatusCode.RequestEntityTooLarge, "batch_too_large");
        Assert.Empty(await server.EventsOf(server.Shop.ReadKey, anon));
        await AssertStillServing();
    }

    [Fact]
    public async Task A_batch_over_500_KB_without_content_length_is_413()
    {
        var json = Utf8(BatchOf(NewId("chunked"), 20, 30_000));
        using var client = Writer();
        var content = new StreamContent(new NonSeekableStream(json));
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync("/v1/batch", content);
        await response.ExpectError(HttpStatusCode.RequestEntityTooLarge, "batch_too_large");
        await AssertStillServing();
    }

    [Fact]
    public async Task A_single_event_over_32_KB_is_413_event_too_large()
    {
        var anon = NewId("big");
        using var client = Writer();
        await (await client.PostObject("/v1/track", new { @event = "Big", anonymousId = anon, properties = new { pad = new string('x', 33 * 1024) } }))
            .ExpectError(HttpStatusCode.RequestEntityTooLarge, "event_too_large");
        await (await client.PostObject("/v1/identify", new { userId = NewId("u"), traits = new { pad = new string('y', 40 * 1024) } }))
            .ExpectError(HttpStatusCode.RequestEntityTooLarge, "event_too_large");
        Assert.Empty(await server.EventsOf(server.Shop.ReadKey, anon));
        await AssertStillServing();
    }

    [Fact]
    public async Task A_batch_message_over_32_KB_is_refused_for_that_index_only()
    {
        var anon = NewId("mixed");
        var batch = new object[]
        {
            new { type = "track", @event = "Small", anonymousId = anon, messageId = NewId("m") },
            new { type = "track", @event = "Big", anonymousId = anon, properties = new { pad = new string('x', 33 * 1024) } },
            new { type = "page", anonymousId = anon, messageId = NewId("m") },
        };
        using var client = Writer();
        var body = await (await client.PostObject("/v1/batch", new { batch })).Expect(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("event_too_large", error.GetProperty("code").GetString());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.Equal(2, (await server.EventsOf(server.Shop.ReadKey, anon)).Length);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compressed_bodies_are_accepted(string encoding)
    {
        var anon = NewId("gz");
        var json = Utf8(BatchOf(anon, 3, 100));
        byte[] body;
        if (encoding == "gzip")
        {
            body = Gzip(json);
        }
        else
        {
            using var output = new MemoryStream();
            using (var z = new ZLibStream(output, CompressionLevel.Fastest))
            {
                z.Write(json);
            }

            body = output.ToArray();
        }

        using var client = Writer();
        var reply = await (await client.PostBytes("/v1/batch", body, encoding)).Expect(HttpStatusCode.OK);
        Assert.Equal(3, reply.GetProperty("accepted").GetInt32());
        Assert.Equal(3, (await server.EventsOf(server.Shop.ReadKey, anon)).Length);
    }

    [Fact]
    public async Task A_gzip_body_over_the_limit_once_decompressed_is_413()
    {
        // 600 KB of JSON that compresses to a few KB: the limit holds after decompression.
        var json = Utf8(BatchOf(NewId("gzbig"), 20, 30_000));
        var gz = Gzip(json);
        Assert.True(gz.Length < 32 * 1024);
        using var client = Writer();
        await (await client.PostBytes("/v1/batch", gz, "gzip")).ExpectError(HttpStatusCode.RequestEntityTooLarge, "batch_too_large");
        await AssertStillServing();
    }

    [Fact]
    public async Task A_gzip_bomb_is_413()
    {
        // 64 MB of spaces inside a JSON object: a few tens of KB compressed.
        using var raw = new MemoryStream();
        using (var gz = new GZipStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gz.Write("{\"batch\":["u8);
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var i = 0; i < 64; i++)
            {
                gz.Write(spaces);
            }

            gz.Write("]}"u8);
        }

        using var client = Writer();
        await (await client.PostBytes("/v1/batch", raw.ToArray(), "gzip")).ExpectError(HttpStatusCode.RequestEntityTooLarge, "batch_too_large");
        await (await client.PostBytes("/v1/track", raw.ToArray(), "gzip")).ExpectError(HttpStatusCode.RequestEntityTooLarge, "event_too_large");
        await AssertStillServing();
    }

    [Fact]
    public async Task A_truncated_gzip_body_is_400_invalid_body()
    {
        var gz = Gzip(Utf8(BatchOf(NewId("trunc"), 5, 200)));
        using var client = Writer();
        await (await client.PostBytes("/v1/batch", gz[..(gz.Length / 2)], "gzip")).ExpectError(HttpStatusCode.BadRequest, "invalid_body");
        await AssertStillServing();
    }

    [Fact]
    public async Task A_gzip_body_that_loses_only_its_trailer_is_400_invalid_body()
    {
        // The deflate data is complete, only the CRC/size trailer is cut off.
        var gz = Gzip(Utf8(BatchOf(NewId("trailer"), 2, 10)));
        using var client = Writer();
        await (await client.PostBytes("/v1/batch", gz[..^8], "gzip")).ExpectError(HttpStatusCode.BadRequest, "invalid_body");
        await AssertStillServing();
    }

    [Fact]
    public async Task A_body_that_is_not_gzip_but_says_so_is_400_invalid_body()
    {
        using var client = Writer();
        await (await client.PostBytes("/v1/batch", Utf8("""{"batch":[]}"""), "gzip")).ExpectError(HttpStatusCode.BadRequest, "invalid_body");
        await AssertStillServing();
    }

    [Theory]
    [InlineData("br")]
    [InlineData("compress")]
    [InlineData("gzip, br")]
    public async Task Unsupported_content_encoding_is_415(string encoding)
    {
        using var client = Writer();
        await (await client.PostBytes("/v1/batch", Utf8("""{"batch":[]}"""), encoding)).ExpectError(HttpStatusCode.UnsupportedMediaType, "unsupported_encoding");
        await AssertStillServing();
    }

    public static TheoryData<string, byte[], string> BadBodies => new()
    {
        { "not json", Utf8("hello, world"), "invalid_json" },
        { "truncated json", Utf8("""{"batch":[{"type":"track","event":"x","anonymousId":"a"}"""), "invalid_json" },
        { "empty", [], "invalid_json" },
        { "whitespace", Utf8("   \n "), "invalid_json" },
        { "array root", Utf8("""[{"type":"track","event":"x","anonymousId":"a"}]"""), "invalid_json" },
        { "string root", Utf8("\"batch\""), "invalid_json" },
        { "null root", Utf8("null"), "invalid_json" },
        { "two objects", Utf8("""{"batch":[]} {"batch":[]}"""), "invalid_json" },
        { "trailing comma", Utf8("""{"batch":[],}"""), "invalid_json" },
        { "comment", Utf8("""{"batch":[] /* hi */}"""), "invalid_json" },
        { "invalid utf-8", [.. Utf8("""{"batch":[{"type":"track","event":"""), 0x22, 0xC3, 0x28, 0x22, .. Utf8(",\"anonymousId\":\"a\"}]}")], "invalid_encoding" },
        { "latin-1", [.. Utf8("""{"batch":[{"type":"track","event":"caf"""), 0xE9, .. Utf8("\",\"anonymousId\":\"a\"}]}")], "invalid_encoding" },
        { "utf-16", Encoding.Unicode.GetBytes("""{"batch":[]}"""), "invalid_json" },
        { "nul byte", Utf8("{\"batch\":[]}\0"), "invalid_json" },
        { "deep nesting", Utf8("{\"batch\":[{\"type\":\"track\",\"event\":\"x\",\"anonymousId\":\"a\",\"properties\":" + new string('[', 40) + new string(']', 40) + "}]}"), "invalid_json" },
        { "very deep nesting", Utf8(new string('[', 20_000)), "invalid_json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Unreadable_bodies_are_400_with_a_json_error(string name, byte[] body, string code)
    {
        using var client = Writer();
        using var response = await client.PostBytes("/v1/batch", body);
        var reply = await response.ExpectError(HttpStatusCode.BadRequest, code);
        Assert.False(string.IsNullOrEmpty(reply.GetProperty("message").GetString()), name);
        using var single = await client.PostBytes("/v1/track", body);
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        AssertErrorShape(await single.Json());
        await AssertStillServing();
    }

    [Fact]
    public async Task Nesting_up_to_the_limit_is_accepted_and_stored()
    {
        // body (1) > batch (2) > message (3) > properties (4) > 26 more levels = 30, within 32.
        var anon = NewId("deep");
        var nested = new string('[', 25) + "1" + new string(']', 25);
        var json = $$$"""{"batch":[{"type":"track","event":"Deep","anonymousId":"{{{anon}}}","properties":{"d":{{{nested}}}}}]}""";
        using var client = Writer();
        await (await client.PostJson("/v1/batch", json)).Expect(HttpStatusCode.OK);
        var row = Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
        var d = Properties(row).GetProperty("d");
        for (var i = 0; i < 24; i++)
        {
            d = d[0];
        }

        Assert.Equal(1, d[0].GetInt32());
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_ignored()
    {
        var anon = NewId("bom");
        using var client = Writer();
        byte[] body = [0xEF, 0xBB, 0xBF, .. Utf8(JsonSerializer.Serialize(new { @event = "Bom", anonymousId = anon }))];
        await (await client.PostBytes("/v1/track", body)).Expect(HttpStatusCode.OK);
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    [Fact]
    public async Task Any_content_type_is_read_as_json()
    {
        var anon = NewId("ct");
        using var client = Writer();
        var json = Utf8(JsonSerializer.Serialize(new { @event = "Ct", anonymousId = anon }));
        await (await client.PostBytes("/v1/track", json, contentType: "application/x-www-form-urlencoded")).Expect(HttpStatusCode.OK);
        Assert.Single(await server.EventsOf(server.Shop.ReadKey, anon));
    }

    [Fact]
    public async Task A_multi_member_gzip_body_is_accepted()
    {
        var anon = NewId("multi");
        var json = Utf8(BatchOf(anon, 4, 50));
        var half = json.Length / 2;
        byte[] body = [.. Gzip(json[..half]), .. Gzip(json[half..])];
        using var client = Writer();
        var reply = await (await client.PostBytes("/v1/batch", body, "gzip")).Expect(HttpStatusCode.OK);
        Assert.Equal(4, reply.GetProperty("accepted").GetInt32());
        await (await client.PostBytes("/v1/batch", body[..^3], "gzip")).ExpectError(HttpStatusCode.BadRequest, "invalid_body");
    }

    [Fact]
    public async Task A_truncated_deflate_body_is_400_invalid_body()
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest))
        {
            z.Write(Utf8(BatchOf(NewId("z"), 2, 10)));
        }

        using var client = Writer();
        await (await client.PostBytes("/v1/batch", output.ToArray()[..^2], "deflate")).ExpectError(HttpStatusCode.BadRequest, "invalid_body");
        await AssertStillServing();
    }

    [Fact]
    public async Task Lone_surrogates_in_request_level_fields_are_400_not_500()
    {
        using var anonymous = server.CreateClient();
        await (await anonymous.PostJson("/v1/batch", """{"writeKey":"\ud800","batch":[]}""", "text/plain")).ExpectError(HttpStatusCode.Unauthorized, "missing_key");
        using var client = Writer();
        await (await client.PostJson("/v1/batch", """{"sentAt":"\udfff","batch":[{"type":"track","event":"x","anonymousId":"a"}]}"""))
            .ExpectError(HttpStatusCode.BadRequest, "invalid_timestamp");
        await (await client.PostJson("/v1/track", """{"event":"x","anonymousId":"a","sentAt":"\udfff","timestamp":"2024-01-01"}"""))
            .ExpectError(HttpStatusCode.BadRequest, "invalid_timestamp");
        await (await client.PostJson("/v1/batch", """{"\ud800":1,"batch":[{"type":"track","event":"x","anonymousId":"a"}]}""")).ExpectError(HttpStatusCode.BadRequest, "invalid_json");
        await (await client.PostJson("/v1/track", """{"event":"x","anonymousId":"a","\udc00x":2}""")).ExpectError(HttpStatusCode.BadRequest, "invalid_json");
        var body = await (await client.PostJson("/v1/batch", """{"batch":[{"type":"track","event":"x","anonymousId":"a","\udc00sentAt":2}]}"""))
            .ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal(0, body.GetProperty("errors")[0].GetProperty("index").GetInt32());
        await AssertStillServing();
    }

    /// <summary>A stream without a length, so the request goes out chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
