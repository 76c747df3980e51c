using System.Globalization;
using System.Text;
using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>The ChannelAttribution path table reader: separators, optional columns, quoting, and bad rows by line.</summary>
public sealed class AttributionPathFileTests
{
    private static PathFileResult Read(string text, string separator = ">") =>
        AttributionPathFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.csv", separator);

    private static List<(string Path, long Conversions, double Value, long Nulls)> Rows(PathFileResult result) =>
        [.. result.Table.Rows().Select(r => (string.Join("|", r.Touches), r.Conversions, r.ConversionValue, r.Nulls))];

    [Theory]
    [InlineData(';')]
    [InlineData(',')]
    [InlineData('\t')]
    public void The_field_separator_is_detected_from_the_header(char separator)
    {
        var text = string.Join(separator, "path", "total_conversions", "total_conversion_value", "total_null") + "\n"
            + string.Join(separator, "a > b >c", "2", "3.5", "4") + "\n"
            + string.Join(separator, "  c  ", "0", "0", "1") + "\n";
        var result = Read(text);
        Assert.Equal(separator, result.Separator);
        Assert.True(result.HasValue && result.HasNulls);
        Assert.Equal([("a|b|c", 2L, 3.5, 4L), ("c", 0L, 0.0, 1L)], Rows(result));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Optional_columns_may_be_missing_or_in_any_order_and_extra_ones_are_ignored()
    {
        var result = Read("total_null,extra,PATH,total_conversions\r\n1,x,a>b,2\r\n\r\n0,y,b,1\r\n");
        Assert.False(result.HasValue);
        Assert.True(result.HasNulls);
        Assert.False(result.Table.HasValue);
        Assert.Equal([("a|b", 2L, 0.0, 1L), ("b", 1L, 0.0, 0L)], Rows(result));

        var noNulls = Read("\uFEFFpath;total_conversions\na > b;3\n");
        Assert.False(noNulls.HasNulls);
        Assert.Equal([("a|b", 3L, 0.0, 0L)], Rows(noNulls));
    }

    [Fact]
    public void Quoted_fields_and_another_touch_separator_are_read()
    {
        var result = Read("\"path\",\"total_conversions\",\"total_null\"\n\"a, inc. → b → \"\"c\"\"\",\"1\",2\n\"x\ny\",1,0\nd → e,1,0\n", "→");
        Assert.Equal([("a, inc.|b|\"c\"", 1L, 0.0, 2L), ("x\ny", 1L, 0.0, 0L), ("d|e", 1L, 0.0, 0L)], Rows(result));
    }

    [Fact]
    public void Bad_rows_are_reported_by_line_and_the_good_ones_kept()
    {
        var text = """
            path;total_conversions;total_conversion_value;total_null
            a > b;1;2.5;0
            a > > b;1;2;0
            ;1;2;0
            c;-1;2;0
            c;1.5;2;0
            c;1;abc;0
            c;1;2
            "multi
            line";1;1;1
            c;1;-3;0
            c;1;2;x
            b;3.0;1e2;0
            """;
        var result = Read(text);
        Assert.Equal([("a|b", 1L, 2.5, 0L), ("multi\nline", 1L, 1.0, 1L), ("b", 3L, 100.0, 0L)], Rows(result));
        Assert.Equal(8, result.Rejected);
        Assert.Equal([3L, 4, 5, 6, 7, 8, 11, 12], result.Errors.Select(e => e.Line));
        Assert.Contains("empty touch", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("path is empty", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("total_conversions '-1'", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("total_conversions '1.5'", result.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("total_conversion_value 'abc'", result.Errors[4].Message, StringComparison.Ordinal);
        Assert.Contains("found 3", result.Errors[5].Message, StringComparison.Ordinal);
        Assert.Contains("total_conversion_value '-3'", result.Errors[6].Message, StringComparison.Ordinal);
        Assert.Contains("total_null 'x'", result.Errors[7].Message, StringComparison.Ordinal);
        Assert.Equal("line 3: the path 'a > > b' has an empty touch", result.Errors[0].ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("route;conversions\na;1\n", "line 1: expected a header naming path and total_conversions")]
    [InlineData("path|total_conversions\na|1\n", "separated by ';', ',' or tab")]
    public void A_file_without_a_usable_header_is_an_error(string text, string message)
    {
        var ex = Assert.Throws<PathException>(() => Read(text));
        Assert.Contains("test.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_first_errors_are_kept_but_all_are_counted()
    {
        var text = new StringBuilder("path;total_conversions\n");
        for (var i = 0; i < AttributionPathFile.ErrorsKept + 500; i++)
        {
            text.Append("a;x\n");
        }

        text.Append("a;1\n");
        var result = Read(text.ToString());
        Assert.Equal(AttributionPathFile.ErrorsKept + 500, result.Rejected);
        Assert.Equal(AttributionPathFile.ErrorsKept, result.Errors.Count);
        Assert.Equal(1, result.Accepted);
    }

    [Fact]
    public void Records_longer_than_the_read_buffer_are_read_whole()
    {
        var touches = Enumerable.Range(0, 120_000).Select(i => "channel_" + (i % 13)).ToArray();
        var result = Read("path;total_conversions\n" + string.Join(" > ", touches) + ";4\nx;1\n");
        Assert.Equal(2, result.Accepted);
        Assert.Equal(touches, result.Table.Row(0).Touches);
        Assert.Equal(13 + 1, result.Table.Channels.Count);
    }

    [Fact]
    public void Touch_names_that_share_their_ends_or_are_very_short_stay_apart()
    {
        // Same length and the same first and last 8 bytes, differing only in the middle; and 1- to 7-byte names.
        string[] names =
        [
            "campaign_spring_A_2025_newsletter", "campaign_spring_B_2025_newsletter", "a", "b", "ab", "ba", "abc", "abcd", "abce", "abcdefg",
            "bcdefga", "ünï", "ü", "12345678", "12345679", "channel_01", "channel_10", "(no touch) x",
        ];
        var random = new Random(5);
        var rows = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, random.Next(1, 9)).Select(_ => names[random.Next(names.Length)]).ToArray()).ToList();
        var text = new StringBuilder("path;total_conversions\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(" > ", row)).Append(";1\n");
        }

        var read = Read(text.ToString());
        Assert.Empty(read.Errors);
        Assert.Equal(rows.Select(r => string.Join("|", r)), read.Table.Rows().Select(r => string.Join("|", r.Touches)));
        Assert.Equal(read.Table.Channels.Count, read.Table.Channels.Distinct().Count());
        Assert.Equal(names.Where(n => rows.Any(r => r.Contains(n))).Order(StringComparer.Ordinal), read.Table.Channels.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Blocks_parsed_in_parallel_give_the_rows_errors_and_lines_of_one_pass()
    {
        // Quoted fields with line breaks and separators, long records and bad rows, cut into blocks of a few bytes up.
        var random = new Random(11);
        string[] touches = ["email", "paid search", "x;y", "multi\nline", "direct", "\"q\"", "Café ☕"];
        var text = new StringBuilder("path;total_conversions;total_conversion_value;total_null\n");
        for (var i = 0; i < 400; i++)
        {
            var path = string.Join(" > ", Enumerable.Range(0, random.Next(1, 30)).Select(_ => touches[random.Next(touches.Length)]));
            var bad = random.Next(10) == 0;
            text.Append('"').Append(path.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\";").Append(bad ? "x" : random.Next(5).ToString(CultureInfo.InvariantCulture))
                .Append(';').Append(random.Next(1000) / 10.0).Append(';').Append(random.Next(5)).Append(random.Next(4) == 0 ? "\r\n" : "\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var whole = AttributionPathFile.Read(new MemoryStream(bytes), "t", ">", bytes.Length * 2);
        Assert.True(whole.Rejected > 10 && whole.Accepted > 300);
        foreach (var blockSize in new[] { 1, 7, 64, 1000, 5000 })
        {
            var blocks = AttributionPathFile.Read(new MemoryStream(bytes), "t", ">", blockSize);
            Assert.Equal(whole.Table.Rows(), blocks.Table.Rows());
            Assert.Equal(whole.Table.Channels, blocks.Table.Channels);
            Assert.Equal(whole.Errors, blocks.Errors);
            Assert.Equal(whole.Rejected, blocks.Rejected);
        }

        // The lines reported are the lines of the file: a quoted line break counts.
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        foreach (var error in whole.Errors)
        {
            Assert.Contains("total_conversions 'x'", error.Message, StringComparison.Ordinal);
            Assert.StartsWith("\"", lines[error.Line - 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_stream_that_cannot_tell_its_length_is_read_whole_as_the_table_grows()
    {
        // 3 MB: more than the first read the table is sized from, so it has to grow while blocks are parsed.
        var random = new Random(3);
        var text = new StringBuilder("path,total_conversions,total_null\n");
        while (text.Length < 3 << 20)
        {
            text.Append(string.Join(" > ", Enumerable.Range(0, random.Next(1, 40)).Select(_ => "channel_" + random.Next(25)))).Append(',')
                .Append(random.Next(3)).Append(',').Append(random.Next(3)).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var expected = AttributionPathFile.Read(new MemoryStream(bytes), "t", ">", bytes.Length * 2);
        var actual = AttributionPathFile.Read(new ForwardOnly(bytes), "t", ">", 64 << 10);
        Assert.Equal(expected.Accepted, actual.Accepted);
        Assert.True(actual.Accepted > 10_000, $"{actual.Accepted} rows");
        Assert.Equal(expected.Table.Rows(), actual.Table.Rows());
        Assert.Equal(expected.Table.Channels, actual.Table.Channels);
        Assert.Equal((expected.Table.TotalConversions, expected.Table.TotalNulls), (actual.Table.TotalConversions, actual.Table.TotalNulls));
    }

    /// <summary>A stream read front to back that does not know its length.</summary>
    private sealed class ForwardOnly(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7919));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void What_the_path_table_writer_writes_reads_back_as_the_same_rows()
    {
        var names = new[] { "email", "paid search", "direct", "Café ☕", "x;y", "a,b" };
        var gen = Gen.Select(Gen.Int[0, names.Length - 1].Array[0, 6], Gen.Int[0, 9], Gen.Double[0, 1e6], Gen.Int[0, 9])
            .Select((t, c, v, n) => new PathRow([.. t.Select(i => names[i])], c, c == 0 ? 0 : v, n)).List[0, 30];
        gen.Sample(rows =>
        {
            using var writer = new StringWriter();
            PathTableFile.Write(writer, rows);
            var read = Read(writer.ToString());
            Assert.Empty(read.Errors);
            Assert.Equal(rows, read.Table.Rows());
        }, iter: 200);
    }
}
