using System.Globalization;
using System.Text;
using Pretzel.Core.Events;

namespace Pretzel.Storage.ClickHouse.Tests;

/// <summary>
/// The event columns as ClickHouse sends them (tab-separated, escaped), read while they arrive: any split of the bytes
/// into reads, lines longer than the read buffer, escapes, NULLs and non-ASCII text give the columns the rows say.
/// </summary>
public sealed class ColumnReaderTests
{
    // A stream that hands out its bytes in reads of random length (1 byte up to 64 KiB), as a network does.
    private sealed class ChoppyStream(byte[] bytes, int seed) : Stream
    {
        private readonly Random _random = new(seed);
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _at; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, bytes.Length - _at), _random.Next(4) == 0 ? 1 : _random.Next(1, 65_536));
            Array.Copy(bytes, _at, buffer, offset, n);
            _at += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static (string Text, List<(string Person, long Micros, string Type, string? Event, string? Channel, long Key, double Revenue)> Rows) Answer(int seed)
    {
        var random = new Random(seed);
        string?[] events = ["page_view", "purchase", "caf\u00e9 visit", "tab\there", "new\nline", "back\\slash", "\u65e5\u672c", null, ""];
        string?[] channels = ["email", "paid_search", null, "\u00fcber"];
        string[] types = ["track", "page", "identify", "screen"];
        var rows = new List<(string, long, string, string?, string?, long, double)>();
        var text = new StringBuilder();
        for (var p = 0; p < 300; p++)
        {
            // Now and then a person id longer than the reader's 1 MiB buffer.
            var person = p % 97 == 5 ? "user:" + new string('x', 1_500_000 + p) : $"anon:{p:D4}-\u00e4";
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                var micros = 1_735_689_600_000_000L + random.NextInt64(-10_000_000_000, 31_536_000_000_000);
                var type = types[random.Next(types.Length)];
                var name = events[random.Next(events.Length)];
                var channel = channels[random.Next(channels.Length)];
                var key = random.NextInt64(long.MinValue, long.MaxValue);
                var revenue = random.Next(3) == 0 ? random.Next(-5000, 90_000) / 100.0 : double.NaN;
                rows.Add((person, micros, type, name, channel, key, revenue));
                string Field(string? v) => v is null ? @"\N" : ClickHouseTsv.Escape(v);
                text.Append(ClickHouseTsv.Escape(person)).Append('\t').Append(micros.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(type).Append('\t').Append(Field(name)).Append('\t').Append(Field(channel)).Append("\t\\N\t\t\\N\t")
                    .Append(key.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(double.IsNaN(revenue) ? (random.Next(2) == 0 ? "nan" : @"\N") : revenue.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return (text.ToString(), rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Any_split_of_the_answer_gives_the_columns_of_its_rows(int seed)
    {
        var (text, rows) = Answer(seed);
        var whole = await ClickHouseColumnReader.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);
        var streamed = await ClickHouseColumnReader.ParseAsync(new ChoppyStream(Encoding.UTF8.GetBytes(text), seed), CancellationToken.None);

        foreach (var columns in (EventColumns[])[whole, streamed])
        {
            Assert.Equal(rows.Count, columns.Count);
            Assert.Equal(rows.Select(r => r.Person).Distinct(), columns.PersonIds);
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                Assert.Equal(r.Micros, columns.Micros[i]);
                Assert.Equal(EventTypes.TryParse(r.Type, out var type) ? (byte)type!.Value : byte.MaxValue, columns.Types[i]);
                Assert.Equal(string.IsNullOrEmpty(r.Event) ? null : r.Event, columns.Event[i]);
                Assert.Equal(r.Channel, columns.Channel[i]);
                Assert.Null(columns.Source[i]);
                Assert.Null(columns.Medium[i]);
                Assert.Null(columns.Campaign[i]);
                Assert.Equal(r.Key, columns.RowKeys[i]);
                Assert.Equal(r.Revenue, columns.Revenue[i]);
            }
        }

        Assert.Equal(whole.PersonStart, streamed.PersonStart);
    }

    [Fact]
    public async Task A_row_with_a_missing_field_is_refused_naming_it()
    {
        var bytes = Encoding.UTF8.GetBytes("anon:1\t1\ttrack\tview\t\\N\t\\N\t\\N\t\\N\t5\n");
        var ex = await Assert.ThrowsAsync<FormatException>(() => ClickHouseColumnReader.ParseAsync(new MemoryStream(bytes), CancellationToken.None));
        Assert.Contains("other than 10 fields", ex.Message, StringComparison.Ordinal);
    }
}
