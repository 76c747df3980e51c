using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pretzel.Ingest.Import;

namespace Pretzel.Ingest.Tests.Import;

public sealed class EventImporterCsvTests : IDisposable
{
    private readonly ImportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ImportFileAsync_FiveMalformedRowsAmong100000_KeepsTheRestAndReportsPhysicalLines()
    {
        const int rows = 100_000;
        var bad = new Dictionary<int, (string Row, string Column, string Reason)>
        {
            [20_000] = ("m20000,2025-13-45T00:00:00Z,a1,page_view,,x", "timestamp", "not a date-time"),
            [40_000] = ("m40000,2025-03-01T00:00:00Z,a1,purchase,abc,x", "revenue", "not a number"),
            [60_000] = ("m60000,2025-03-01T00:00:00Z,a1,page_view,x", "", "the row has 5 fields but the header has 6"),
            [80_000] = ("m80000,2025-03-01T00:00:00Z,,page_view,,x", "anonymous_id", "needs an anonymous_id or a user_id"),
            [99_999] = ("m99999,2025-03-01T00:00:00Z,a1,,,x", "event", "a track event needs an event name"),
        };
        var text = new StringBuilder("message_id,timestamp,anonymous_id,event,revenue,note\n");
        var expectedLines = new Dictionary<int, long>();
        long line = 2;
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < rows; i++)
        {
            expectedLines[i] = line;
            if (bad.TryGetValue(i, out var b))
            {
                text.Append(b.Row).Append('\n');
                line++;
                continue;
            }

            var note = i switch
            {
                10 => "\"a note\nspanning\nthree lines\"",
                50_000 => "\"crlf\r\ninside\"",
                _ => "n",
            };
            text.Append(CultureInfo.InvariantCulture, $"m{i},{start.AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ},a{i % 1000},page_view,{(i % 10 == 0 ? "9.5" : "")},{note}\n");
            line += 1 + note.Count(c => c == '\n');
        }

        var path = _f.Write("big.csv", text.ToString());

        var report = await _f.Import(path);

        Assert.Equal(rows, report.Rows);
        Assert.Equal(rows - 5, report.Written);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(5, report.Rejected);
        Assert.Null(report.Stopped);
        Assert.Equal(rows - 5, await _f.Count());
        Assert.Equal(bad.Keys.Select(i => expectedLines[i]), report.Errors.Select(e => e.Line));
        foreach (var (error, (_, column, reason)) in report.Errors.Zip(bad.Values))
        {
            Assert.Equal(column.Length == 0 ? null : column, error.Column);
            Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        }

        Assert.Equal("a note\nspanning\nthree lines", JsonNode.Parse((string)(await _f.Scalar("select properties from events where message_id = 'm10'"))!)!["note"]!.GetValue<string>());
        Assert.Equal(EventImporter.DefaultRejectsPath(path), report.RejectsFile);
        var rejects = File.ReadAllLines(report.RejectsFile!);
        Assert.Equal("line,column,value,reason", rejects[0]);
        Assert.Equal(bad.Keys.Select(i => expectedLines[i].ToString(CultureInfo.InvariantCulture)), rejects.Skip(1).Select(r => r.Split(',')[0]));

        var again = await _f.Import(path);

        Assert.Equal(0, again.Written);
        Assert.Equal(rows - 5, again.Duplicates);
        Assert.Equal(5, again.Rejected);
        Assert.Equal(rows - 5, await _f.Count());
    }

    [Fact]
    public async Task ImportFileAsync_CleanReimport_DeletesTheStaleRejectsFile()
    {
        var path = _f.Write("fixed.csv", "message_id,timestamp,user_id,event\nm1,2025-03-01T00:00:00Z,u1,\n");
        var first = await _f.Import(path);
        Assert.True(File.Exists(first.RejectsFile));

        File.WriteAllText(path, "message_id,timestamp,user_id,event\nm1,2025-03-01T00:00:00Z,u1,signup\n");
        var second = await _f.Import(path);

        Assert.Null(second.RejectsFile);
        Assert.False(File.Exists(EventImporter.DefaultRejectsPath(path)));
        Assert.Equal(1, second.Written);
    }

    [Fact]
    public async Task ImportFileAsync_NoMessageIdColumn_DerivesDeterministicIdsAndKeepsIdenticalRows()
    {
        const string csv = """
            timestamp,user_id,event
            2025-03-01T10:00:00Z,u1,signup
            2025-03-01T10:00:00Z,u1,signup
            2025-03-01T11:00:00Z,u2,purchase
            """;
        var path = _f.Write("no-ids.csv", csv);

        var first = await _f.Import(path);
        var second = await _f.Import(path);

        Assert.Equal((3, 0), (first.Written, first.Duplicates));
        Assert.Equal((0, 3), (second.Written, second.Duplicates));
        Assert.Equal(2, await _f.Count("user_id = 'u1' and event = 'signup'"));
        var ids = (await _f.Query("select message_id from events order by timestamp, message_id")).Rows.Select(r => (string)r[0]!).ToList();
        Assert.All(ids, id => Assert.StartsWith("h-", id, StringComparison.Ordinal));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Contains(ids[0] + "-2", ids);

        using var other = new ImportFixture();
        await other.Import(other.Write("copy.csv", csv));
        var otherIds = (await other.Query("select message_id from events order by timestamp, message_id")).Rows.Select(r => (string)r[0]!);
        Assert.Equal(ids, otherIds);
    }

    [Fact]
    public async Task ImportFileAsync_ColumnMap_RenamesDropsAndMakesProperties()
    {
        var path = _f.Write("crm.csv", """
            InvoiceNo,CustomerID,InvoiceDate,Action,Amount,Junk,Country
            inv-1,c-42,2025-03-01 09:15:00,purchase,12.50,secret,NL
            """);
        var options = new ImportOptions
        {
            ColumnMap = new Dictionary<string, string>
            {
                ["InvoiceNo"] = "message_id",
                ["CustomerID"] = "user_id",
                ["InvoiceDate"] = "timestamp",
                ["Action"] = "event",
                ["Amount"] = "revenue",
                ["Junk"] = "-",
                ["Country"] = "properties.country",
            },
        };

        var report = await _f.Import(path, options);

        Assert.Equal(1, report.Written);
        var row = Assert.Single((await _f.Query("select message_id, user_id, timestamp, event, revenue, properties from events")).Rows);
        Assert.Equal("inv-1", row[0]);
        Assert.Equal("c-42", row[1]);
        Assert.Equal(new DateTime(2025, 3, 1, 9, 15, 0), row[2]);
        Assert.Equal("purchase", row[3]);
        Assert.Equal(12.5, row[4]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"country":"NL"}"""), JsonNode.Parse((string)row[5]!)), (string)row[5]!);
    }

    [Fact]
    public async Task ImportFileAsync_MapNamesMissingColumn_ThrowsNamingIt()
    {
        var path = _f.Write("m.csv", "timestamp,user_id,event\n2025-03-01,u,e\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path, new ImportOptions { ColumnMap = new Dictionary<string, string> { ["CustomerID"] = "user_id" } }));

        Assert.Contains("'CustomerID'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_MapToUnknownField_ThrowsListingTheFields()
    {
        var path = _f.Write("m.csv", "timestamp,user_id,event,who\n2025-03-01,u,e,x\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path, new ImportOptions { ColumnMap = new Dictionary<string, string> { ["who"] = "person" } }));

        Assert.Contains("'person' is not an event field", ex.Message, StringComparison.Ordinal);
        Assert.Contains("user_id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_UnknownColumns_BecomeStringPropertiesMergedWithPropertiesJson()
    {
        var path = _f.Write("extra.csv", """
            message_id,timestamp,user_id,event,plan,seats,properties
            m1,2025-03-01T00:00:00Z,u1,signup,pro,3,"{""a"":1,""plan"":""old""}"
            m2,2025-03-01T00:00:00Z,u1,login,,,
            """);

        var report = await _f.Import(path);

        Assert.Equal(2, report.Written);
        var m1 = JsonNode.Parse((string)(await _f.Scalar("select properties from events where message_id = 'm1'"))!)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"plan":"pro","seats":"3"}"""), m1), m1.ToJsonString());
        Assert.Null(await _f.Scalar("select properties from events where message_id = 'm2'"));
    }

    [Theory]
    [InlineData(';', "semi.csv")]
    [InlineData('\t', "tabs.tsv")]
    [InlineData('|', "pipes.txt")]
    public async Task ImportFileAsync_OtherDelimiter_IsDetectedFromTheHeader(char delimiter, string name)
    {
        var lines = new[]
        {
            "message_id,timestamp,user_id,event,revenue,city",
            "m1,2025-03-01T00:00:00Z,u1,purchase,19.90,\"Paris, France\"",
            "m2,2025-03-02T00:00:00Z,u2,signup,,Berlin",
        };
        var path = _f.Write(name, string.Join('\n', lines.Select(l => l.Replace(',', delimiter).Replace("Paris" + delimiter + " France", "Paris, France", StringComparison.Ordinal))) + "\n");

        var report = await _f.Import(path);

        Assert.Equal((2, 0), (report.Written, report.Rejected));
        Assert.Equal(19.9, await _f.Scalar("select revenue from events where message_id = 'm1'"));
        Assert.Equal("Paris, France", await _f.Scalar("select properties->>'city' from events where message_id = 'm1'"));
        Assert.Equal("u2", await _f.Scalar("select user_id from events where message_id = 'm2'"));
    }

    [Fact]
    public async Task ImportFileAsync_ExplicitDelimiter_OverridesDetection()
    {
        var path = _f.Write("semi.csv", "message_id;timestamp;user_id;event\nm1;2025-03-01;u1;a,b\n");

        var report = await _f.Import(path, new ImportOptions { Delimiter = ';' });

        Assert.Equal(1, report.Written);
        Assert.Equal("a,b", await _f.Scalar("select event from events"));
    }

    [Fact]
    public async Task ImportFileAsync_HeaderWithoutTimestamp_ThrowsNamingTheFix()
    {
        var path = _f.Write("no-time.csv", "message_id,user_id,event,when_it_happened\nm1,u1,signup,2025-03-01\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path));

        Assert.Contains("no timestamp column", ex.Message, StringComparison.Ordinal);
        Assert.Contains("when_it_happened", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--map YOUR_COLUMN=timestamp", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _f.Count());
    }

    [Fact]
    public async Task ImportFileAsync_HeaderWithoutIdentity_ThrowsNamingTheFix()
    {
        var path = _f.Write("no-id.csv", "timestamp,event\n2025-03-01,signup\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path));

        Assert.Contains("--map YOUR_COLUMN=user_id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_EmptyFile_ThrowsAskingForAHeader()
    {
        var path = _f.Write("empty.csv", "");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path));

        Assert.Contains("header", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("events.gz", "decompress")]
    [InlineData("events.parquet", "Parquet")]
    [InlineData("events.xlsx", "--format csv")]
    public async Task ImportFileAsync_ExtensionItCannotRead_ThrowsSayingWhatToDo(string name, string advice)
    {
        var path = _f.Write(name, "timestamp,user_id,event\n2025-03-01,u,e\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path));

        Assert.Contains(advice, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_ExplicitFormat_OverridesTheExtension()
    {
        var path = _f.Write("events.log", "timestamp,user_id,event\n2025-03-01,u,e\n");

        var report = await _f.Import(path, new ImportOptions { Format = ImportFormat.Csv });

        Assert.Equal(1, report.Written);
    }

    [Fact]
    public async Task ImportFileAsync_TwoColumnsFeedingOneField_ThrowsSuggestingToDropOne()
    {
        var path = _f.Write("twice.csv", "timestamp,user_id,event,Event Name\n2025-03-01,u,e,f\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path));

        Assert.Contains("'event' and 'Event Name' both feed event", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--map 'Event Name=-'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_MissingFile_ThrowsNamingIt()
    {
        var path = Path.Combine(_f.Folder, "nope.csv");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_HeaderSpellings_AreRecognised()
    {
        var path = _f.Write("spellings.csv", """
            Message ID,Event Time,userId,anonymous-id,Event Name,utm_source,UTM_Medium,utm_campaign,Referer
            m1,2025-03-01T00:00:00Z,u1,a1,signup,Newsletter,Email,Spring,https://example.com/
            """);

        var report = await _f.Import(path, new ImportOptions { ColumnMap = new Dictionary<string, string> { ["Event Time"] = "timestamp" } });

        Assert.Equal(1, report.Written);
        var row = Assert.Single((await _f.Query("select message_id, user_id, anonymous_id, event, source, medium, campaign, referrer, channel, properties from events")).Rows);
        Assert.Equal(["m1", "u1", "a1", "signup", "newsletter", "email", "Spring", "https://example.com/", "email", null], row);
    }

    [Fact]
    public async Task ImportFileAsync_BlankLinesAndCrlf_AreSkippedAndCounted()
    {
        var path = _f.Write("crlf.csv", "message_id,timestamp,user_id,event\r\nm1,2025-03-01,u1,a\r\n\r\nm2,2025-03-01,u1,\r\nm3,2025-03-01,u1,c");

        var report = await _f.Import(path);

        Assert.Equal(2, report.Written);
        Assert.Equal(4, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public async Task ImportFileAsync_TimestampOutsideAcceptedRange_IsRejected()
    {
        var path = _f.Write("range.csv", """
            message_id,timestamp,user_id,event
            old,1989-12-31T23:59:59Z,u1,a
            future,2026-01-03T00:00:00Z,u1,a
            ok,2026-01-01T12:00:00Z,u1,a
            """);

        var report = await _f.Import(path);

        Assert.Equal(1, report.Written);
        Assert.Equal([2L, 3L], report.Errors.Select(e => e.Line));
        Assert.All(report.Errors, e => Assert.Contains("outside the accepted range", e.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportFileAsync_MoreRowsThanOneHandOffBatch_WritesEveryBatchAndDeduplicatesAcrossThem()
    {
        var text = new StringBuilder("message_id,timestamp,user_id,event\n");
        for (var i = 0; i < 10_250; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"m{i % 10_000},2025-03-01,u{i},e\n");
        }

        var report = await _f.Import(_f.Write("batches.csv", text.ToString()), new ImportOptions());

        Assert.Equal((10_000, 250), (report.Written, report.Duplicates));
        Assert.Equal(10_000, await _f.Count());
        Assert.Equal("u0", await _f.Scalar("select user_id from events where message_id = 'm0'"));
    }
}
