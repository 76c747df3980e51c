using Pretzel.Core.Storage;
using System.Globalization;
using System.Text.Json;
using CsCheck;
using Pretzel.Core.Events;

namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>
/// The staged-chunk appender against a plain reference: whatever random events are written (text of
/// every length and alphabet, nulls, duplicates inside and across writes, more rows than one DuckDB
/// vector), the store holds exactly the first event of each message id, field for field.
/// </summary>
public sealed class ChunkAppendTests
{
    private static readonly string[] Columns =
        ["message_id", "type", "event", "timestamp", "received_at", "anonymous_id", "user_id", "previous_id", "group_id",
         "channel", "source", "medium", "campaign", "content", "term", "referrer", "revenue", "currency", "properties"];

    private static readonly Gen<string?> AnyText = Gen.OneOf(
        Pick((string?)null),
        Pick(""),
        Gen.String[Gen.Char["abcxyz-_.:/ "], 1, 12].Select(s => (string?)s),
        Gen.String[Gen.Char["abcXYZ0189"], 13, 40].Select(s => (string?)s),
        Pick("tab\there", "new\nline", "quote\"d", "it's", "é", "ünïcødé-beyond-twelve", "🙂🙂🙂", "a🙂b", "exactly12byt", "exactly13byte"));

    private static readonly Gen<string?> AnyLabel = Pick(null, "", "email", "paid_search", "o'brien", "Ünï", "a-very-long-campaign-name-2025", "x");

    private static readonly Gen<Event> AnyEvent =
        from id in Gen.OneOf(Gen.Int[0, 400].Select(i => "m" + i.ToString(CultureInfo.InvariantCulture)), Gen.Int[0, 50].Select(i => "a-long-message-identifier-" + i.ToString(CultureInfo.InvariantCulture)))
        from type in Gen.Enum<EventType>()
        from name in AnyLabel
        from micros in Gen.Long[-2_000_000_000_000L, 4_000_000_000_000_000L]
        from delay in Gen.Long[0, 100_000_000]
        from ids in Gen.Select(AnyText, AnyText, AnyText, AnyText)
        from labels in Gen.Select(AnyLabel, AnyLabel, AnyLabel, AnyLabel, AnyLabel)
        from more in Gen.Select(AnyLabel, AnyLabel, AnyText)
        from revenue in Gen.OneOf(Gen.Int[0, 0].Select(_ => (double?)null), Gen.Double[-1e6, 1e9].Select(d => (double?)d))
        from property in AnyText
        select new Event
        {
            MessageId = id,
            Type = type,
            Name = name,
            Timestamp = EventTime.FromMicros(micros),
            ReceivedAt = EventTime.FromMicros(micros + delay),
            AnonymousId = ids.Item1,
            UserId = ids.Item2,
            PreviousId = ids.Item3,
            GroupId = ids.Item4,
            Channel = labels.Item1,
            Source = labels.Item2,
            Medium = labels.Item3,
            Campaign = labels.Item4,
            Content = labels.Item5,
            Term = more.Item1,
            Currency = more.Item2,
            Referrer = more.Item3,
            Revenue = revenue,
            Properties = property is null ? null : JsonSerializer.Serialize(new Dictionary<string, string> { ["k"] = property }),
        };

    [Fact]
    public void Appender_RandomWrites_StoreTheFirstEventOfEachIdExactly()
    {
        // Batches up to 5,000 rows cross DuckDB's 2,048-row vectors; ids from a small pool repeat inside
        // a batch (first wins in the chunk) and across writes (the stored one wins).
        Gen.Select(AnyEvent.List[0, 5000], AnyEvent.List[0, 3000]).Sample(t =>
        {
            var (first, second) = t;
            using var store = DuckDbEventStore.Open(":memory:");
            var r1 = store.AppendAsync(first).GetAwaiter().GetResult();
            var r2 = store.AppendAsync(second).GetAwaiter().GetResult();

            var expected = new Dictionary<string, Event>(StringComparer.Ordinal);
            foreach (var e in first.Concat(second))
            {
                expected.TryAdd(e.MessageId, e);
            }

            var firstDistinct = first.Select(e => e.MessageId).Distinct().Count();
            Assert.Equal(firstDistinct, r1.Written);
            Assert.Equal(first.Count - firstDistinct, r1.Duplicates);
            Assert.Equal(expected.Count - firstDistinct, r2.Written);
            Assert.Equal(second.Count - r2.Written, r2.Duplicates);

            var rows = store.QueryAsync(
                "SELECT message_id, type::VARCHAR, event::VARCHAR, epoch_us(timestamp), epoch_us(received_at), anonymous_id, user_id, previous_id, group_id, " +
                "channel::VARCHAR, source::VARCHAR, medium::VARCHAR, campaign::VARCHAR, content::VARCHAR, term::VARCHAR, referrer, revenue, currency::VARCHAR, properties::VARCHAR " +
                "FROM events").GetAwaiter().GetResult().Rows;
            Assert.Equal(expected.Count, rows.Count);
            foreach (var row in rows)
            {
                var e = expected[(string)row[0]!];
                object?[] want =
                [
                    e.MessageId, e.Type.Name(), Text(e.Name), EventTime.ToMicros(e.Timestamp), EventTime.ToMicros(e.ReceivedAt),
                    Text(e.AnonymousId), Text(e.UserId), Text(e.PreviousId), Text(e.GroupId), Text(e.Channel), Text(e.Source),
                    Text(e.Medium), Text(e.Campaign), Text(e.Content), Text(e.Term), Text(e.Referrer), e.Revenue, Text(e.Currency), e.Properties,
                ];
                for (var c = 0; c < want.Length; c++)
                {
                    if (!Equals(want[c], row[c]))
                    {
                        Assert.Fail($"{Columns[c]} of {e.MessageId}: stored {row[c] ?? "null"}, written {want[c] ?? "null"}");
                    }
                }
            }
        }, iter: 12, threads: 1);
    }

    [Fact]
    public async Task Appender_TextLongerThanTheArenaStart_RoundTrips()
    {
        // The staging arena starts at 64 KiB and grows; one value larger than that must survive intact.
        using var store = DuckDbEventStore.Open(":memory:");
        var big = JsonSerializer.Serialize(new { text = new string('é', 100_000) + "end" });
        await store.AppendAsync([TestEvents.Track("big") with { Properties = big, Referrer = new string('r', 70_000) }, TestEvents.Track("small")]);

        var rows = (await store.QueryAsync("SELECT message_id, properties::VARCHAR, length(referrer) FROM events ORDER BY 1")).Rows;

        Assert.Equal(["big", big, 70_000L], rows[0]);
        Assert.Equal(["small", null, null], rows[1]);
    }

    [Fact]
    public void EventChunk_ClearThenReuse_HoldsOnlyTheNewRows()
    {
        var chunk = new EventChunk();
        for (var i = 0; i < 3000; i++)
        {
            chunk.Add(TestEvents.Track("old-" + i, name: "old_" + (i % 7)));
        }

        chunk.Clear();
        chunk.Add(TestEvents.Track("new", name: "fresh", anonymousId: null, userId: "u"));

        Assert.Equal(1, chunk.Count);
        Assert.Equal("new", chunk.GetText(EventChunk.MessageId, 0));
        Assert.Null(chunk.GetText(1, 0));
        Assert.Equal("u", chunk.GetText(2, 0));
        Assert.Equal(["fresh"], chunk.EnumLabels[1]);
        Assert.Equal(0, chunk.EnumCodes[1][0]);
    }

    private static Gen<string?> Pick(params string?[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    // Empty text is stored as null (as the TSV staging did).
    private static string? Text(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>
/// Dedup across the chunks of one writer: while the store holds only what the writer moved, the writer's
/// own id set answers; once anything else wrote, the store is probed. Either way a re-sent id is stored once.
/// </summary>
public sealed class ChunkDedupTests
{
    [Fact]
    public void Writer_RandomIdsOverManyChunks_StoresEachIdOnceFirstWins()
    {
        Gen.Select(Gen.Int[0, 300].Array[0, 1500], Gen.Int[1, 400], Gen.Int[0, 200].Array[0, 50]).Sample(t =>
        {
            var (ids, chunkRows, preStored) = t;
            using var store = DuckDbEventStore.Open(":memory:");
            store.WriterChunkRows = chunkRows;
            store.AppendAsync(preStored.Distinct().Select(i => TestEvents.Track("id" + i, name: "pre")).ToList()).GetAwaiter().GetResult();

            var events = ids.Select((id, n) => TestEvents.Track("id" + id, name: "n" + n)).ToList();
            using var writer = store.OpenWriter();
            foreach (var batch in events.Chunk(37))
            {
                writer.Write(batch);
            }

            var result = writer.CommitAsync().GetAwaiter().GetResult();

            var expected = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var i in preStored)
            {
                expected.TryAdd("id" + i, "pre");
            }

            var before = expected.Count;
            foreach (var e in events)
            {
                expected.TryAdd(e.MessageId, e.Name!);
            }

            Assert.Equal(expected.Count - before, result.Written);
            Assert.Equal(events.Count - result.Written, result.Duplicates);
            var rows = store.QueryAsync("SELECT message_id, event::VARCHAR FROM events").GetAwaiter().GetResult().Rows;
            Assert.Equal(expected.Count, rows.Count);
            foreach (var row in rows)
            {
                Assert.Equal(expected[(string)row[0]!], row[1]);
            }
        }, iter: 40, threads: 1);
    }

    [Fact]
    public async Task Writer_AnotherWriteBetweenChunks_ItsIdsAreNotStoredTwice()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        store.WriterChunkRows = 10;
        using var writer = store.OpenWriter();
        writer.Write(Enumerable.Range(0, 10).Select(i => TestEvents.Track("w" + i)).ToList());

        // The writer's first chunk has moved; now someone else stores ids the writer sends next.
        await Task.Delay(50);
        await writer.CommitAsync();
        // (Told apart by anonymous id: a new ENUM label from another writer would be a different story.)
        var other = await store.AppendAsync(Enumerable.Range(10, 5).Select(i => TestEvents.Track("w" + i, anonymousId: "other")).ToList());
        writer.Write(Enumerable.Range(5, 15).Select(i => TestEvents.Track("w" + i, anonymousId: "writer")).ToList());
        var result = await writer.CommitAsync();

        Assert.Equal(5, other.Written);
        Assert.Equal(new AppendResult(15, 10), result); // cumulative: 10 + 5 written; w5-w9 its own, w10-w14 the other write's
        var rows = (await store.QueryAsync("SELECT anonymous_id, count(*) FROM events GROUP BY 1 ORDER BY 1")).Rows;
        Assert.Equal([["a-1", 10L], ["other", 5L], ["writer", 5L]], rows);
        Assert.Equal(20L, (await store.QueryAsync("SELECT count(DISTINCT message_id) FROM events")).Rows[0][0]);
    }
}
