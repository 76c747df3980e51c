using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CsCheck;
using Pretzel.Core.Events;
using Pretzel.Ingest.Collect;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Tests.Import;

namespace Pretzel.Ingest.Tests.Collect;

/// <summary>
/// What the collector accepts (<see cref="ReceivedBatch"/>) and writes to its log (<see cref="EventJsonLine"/>)
/// imports again, through the JSONL importer, to exactly the row the accepted event would give.
/// </summary>
public sealed class EventJsonLineRoundTripTests
{
    private static readonly DateTime ReceivedAt = new(2025, 12, 31, 12, 0, 0, DateTimeKind.Utc);

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), SkipValidation = true };

    private static List<Event> Accept(string batchJson)
    {
        using var doc = JsonDocument.Parse(batchJson);
        var root = doc.RootElement;
        DateTime? sentAt = root.TryGetProperty("sentAt", out var s) && ReceivedBatch.TryParseTime(s, out var t) ? t : null;
        var validator = new ReceivedBatch(ReceivedAt, sentAt);
        var accepted = new List<Event>();
        foreach (var message in root.GetProperty("batch").EnumerateArray())
        {
            if (validator.TryAccept(message, null, out var e, out _))
            {
                accepted.Add(e!);
            }
        }

        return accepted;
    }

    private static string Lines(IEnumerable<Event> events)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, LineOptions))
        {
            foreach (var e in events)
            {
                EventJsonLine.Write(writer, e);
                writer.Flush();
                writer.Reset();
                buffer.Write("\n"u8);
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<List<string>> Rows(ImportFixture fixture)
    {
        var result = await fixture.Query("select * from events order by message_id");
        return [.. result.Rows.Select(r => string.Join(" | ", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))))];
    }

    private static async Task AssertRoundTrip(List<Event> accepted)
    {
        using var direct = new ImportFixture();
        using var fromLog = new ImportFixture();
        await direct.Importer.ImportEventsAsync(accepted, "direct");
        var text = Lines(accepted);
        Assert.Equal(accepted.Count, text.Count(c => c == '\n')); // one line per event, whatever the values hold
        var report = await fromLog.Import(fromLog.Write("segment.jsonl", text), new ImportOptions { Format = ImportFormat.JsonLines });
        Assert.Equal(0, report.Rejected);
        Assert.Equal(await Rows(direct), await Rows(fromLog));
    }

    [Fact]
    public async Task A_segment_style_batch_round_trips()
    {
        var accepted = Accept("""
            {"sentAt":"2025-12-31T13:00:00Z","batch":[
              {"type":"track","event":"Order Completed","anonymousId":"a1","userId":"u1","messageId":"m1","timestamp":"2025-12-31T12:59:00.1234567Z",
               "properties":{"revenue":19.9,"currency":"eur","items":[{"sku":"x"}],"text":"line\nbreak \"quoted\" 🥨 \u2028"},
               "context":{"campaign":{"source":"google","medium":"cpc","name":"brand","content":"c","term":"t"},
                          "page":{"url":"https://e.example/?a=1","referrer":"https://google.com/"},"userAgent":"UA/1","ip":"1.2.3.4"}},
              {"type":"identify","anonymousId":"a1","userId":"u1","traits":{"email":"e@example.com","nested":{"deep":[1,2,{"x":null}]}}},
              {"type":"alias","previousId":"a0","userId":"u1"},
              {"type":"group","userId":"u1","groupId":"g1","traits":{"name":"Acme"}},
              {"type":"page","anonymousId":"a2","name":"Home","properties":{"title":"Tab\there"}},
              {"type":"screen","anonymousId":"a3","name":"Main","properties":{}}
            ]}
            """);
        Assert.Equal(6, accepted.Count);
        await AssertRoundTrip(accepted);
    }

    [Fact]
    public async Task Random_event_names_and_property_values_round_trip()
    {
        var text = Gen.String[0, 40];
        var gen = Gen.Select(text, text, text, Gen.Double[-1e6, 1e6]).Array[1, 8];
        await gen.SampleAsync(async messages =>
        {
            var batch = messages.Select((m, i) => new Dictionary<string, object?>
            {
                ["type"] = "track",
                ["event"] = "e" + m.Item1,
                ["anonymousId"] = "a" + i,
                ["properties"] = new Dictionary<string, object?> { ["k" + m.Item2] = m.Item3, ["n"] = m.Item4 },
            });
            var accepted = Accept(JsonSerializer.Serialize(new { batch }));
            if (accepted.Count > 0)
            {
                await AssertRoundTrip(accepted);
            }
        }, iter: 12, threads: 1);
    }
}
