using System.Text;
using CsCheck;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse.Tests;

/// <summary>Escaping without a server: what goes into a TSV body or a literal reads back as it was.</summary>
public sealed class TsvEscapingTests
{
    /// <summary>Strings rich in what TSV and SQL literals must escape, plus any valid Unicode (surrogate pairs included).</summary>
    internal static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["\t\n\r\\\0\b\f'\"`;,N xé\u00a0\u2028"], 0, 30],
        Gen.String[Gen.Char, 0, 30].Select(s => new string(s.Select(c => char.IsSurrogate(c) ? '?' : c).ToArray())),
        Gen.Const("\\N"),
        Gen.Const("🥨 ünïcödé \t \\t \\\\ \n"),
        Gen.OneOf(Gen.Const("\\"), Gen.Const("\t"), Gen.Const("\n"), Gen.Const("🥨"), Gen.Const("ü"), Gen.Const("a")).Array[0, 20]
            .Select(parts => string.Concat(parts)));

    [Fact]
    public void EscapeThenUnescape_GivesTheStringBack()
    {
        Text.Sample(s => Assert.Equal(s, ClickHouseTsv.Unescape(ClickHouseTsv.Escape(s))), iter: 5_000);
    }

    [Fact]
    public void Escape_LeavesNoRawSeparator()
    {
        Text.Sample(s =>
        {
            var escaped = ClickHouseTsv.Escape(s);
            Assert.DoesNotContain('\t', escaped);
            Assert.DoesNotContain('\n', escaped);
            Assert.DoesNotContain('\r', escaped);
        }, iter: 2_000);
    }

    [Fact]
    public void TsvBuffer_RowsOfRandomFields_SplitBackIntoTheSameFields()
    {
        Gen.Select(Text, Text, Gen.String[Gen.Char.AlphaNumeric, 0, 5]).Array[1, 20].Sample(rows =>
        {
            var tsv = new TsvBuffer(4);
            foreach (var (a, b, c) in rows)
            {
                tsv.String(a);
                tsv.NullableString(b);
                tsv.String(null);
                tsv.String(c);
                tsv.EndRow();
            }

            var lines = Encoding.UTF8.GetString(tsv.Memory.Span).Split('\n');
            Assert.Equal(rows.Length + 1, lines.Length);
            Assert.Equal(string.Empty, lines[^1]);
            for (var i = 0; i < rows.Length; i++)
            {
                var fields = lines[i].Split('\t');
                Assert.Equal(4, fields.Length);
                Assert.Equal(rows[i].Item1, ClickHouseTsv.Unescape(fields[0]));
                Assert.Equal(rows[i].Item2.Length == 0 ? ClickHouseTsv.Null : ClickHouseTsv.Escape(rows[i].Item2), fields[1]);
                Assert.Equal(ClickHouseTsv.Null, fields[2]);
                Assert.Equal(rows[i].Item3, fields[3]);
            }
        }, iter: 500);
    }

    [Fact]
    public void NullAndTheTextBackslashN_StayApart()
    {
        var tsv = new TsvBuffer();
        tsv.String(null);
        tsv.String("\\N");
        tsv.EndRow();

        Assert.Equal("\\N\t\\\\N\n", Encoding.UTF8.GetString(tsv.Memory.Span));
    }

    [Fact]
    public void Literal_EscapesQuotesBackslashesAndControls()
    {
        Assert.Equal(@"'it\'s a \\ \n\t\r\0'", ClickHouseSql.Literal("it's a \\ \n\t\r\0"));
        Assert.Equal("'🥨'", ClickHouseSql.Literal("🥨"));
    }

    [Theory]
    [InlineData("events")]
    [InlineData("_x1")]
    public void Identifier_PlainNames_AreBackQuoted(string name) => Assert.Equal($"`{name}`", ClickHouseSql.Identifier(name));

    [Theory]
    [InlineData("a`b")]
    [InlineData("1abc")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("x; DROP DATABASE y")]
    public void Identifier_AnythingElse_IsRefused(string name) => Assert.Throws<ArgumentException>(() => ClickHouseSql.Identifier(name));

    [Fact]
    public void ResultReader_TypesValues()
    {
        const string body = "n\tu\tf\ts\tz\td\tarr\tdt\r\n"
            + "UInt64\tUInt64\tFloat64\tString\tNullable(String)\tDateTime(\\'UTC\\')\tArray(Nullable(String))\tArray(DateTime(\\'UTC\\'))\n"
            + "3\t18446744073709551615\t5e-324\ta\\tb\\\\\\n\\'\t\\N\t2025-03-01 12:00:01\t['x\\'y','a,b',NULL]\t['1970-01-01 00:00:01']\n";

        var result = ClickHouseResultReader.Read(body.Replace("\r\n", "\n", StringComparison.Ordinal), TimeZoneInfo.Utc);

        Assert.Equal(["n", "u", "f", "s", "z", "d", "arr", "dt"], result.Columns);
        var row = Assert.Single(result.Rows);
        Assert.Equal(3L, row[0]);
        Assert.Equal(ulong.MaxValue, row[1]);
        Assert.Equal(double.Epsilon, row[2]);
        Assert.Equal("a\tb\\\n'", row[3]);
        Assert.Null(row[4]);
        Assert.Equal(new DateTime(2025, 3, 1, 12, 0, 1, DateTimeKind.Utc), row[5]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)row[5]!).Kind);
        Assert.Equal(new object?[] { "x'y", "a,b", null }, (object?[])row[6]!);
        Assert.Equal(new object?[] { new DateTime(1970, 1, 1, 0, 0, 1, DateTimeKind.Utc) }, (object?[])row[7]!);
    }

    [Theory]
    [InlineData("Code: 60, e.displayText() = DB::Exception: Table db.nosuch doesn't exist., e.what() = DB::Exception\n", "Table db.nosuch doesn't exist. (ClickHouse error 60)")]
    [InlineData("Code: 60. DB::Exception: Table db.nosuch does not exist. (UNKNOWN_TABLE) (version 23.8.1.1)\n", "Table db.nosuch does not exist. (UNKNOWN_TABLE) (ClickHouse error 60)")]
    [InlineData("Bad request\n", "ClickHouse refused the request: Bad request")]
    public void ServerErrors_AreShortenedToTheMessage(string body, string expected) =>
        Assert.Equal(expected, ClickHouseHttp.Describe(body));

    [Fact]
    public void StoreException_IsWhatReaderThrowsOnMalformedAnswers() =>
        Assert.Throws<StoreException>(() => ClickHouseResultReader.Read("a\tb\nString\n", TimeZoneInfo.Utc));
}
