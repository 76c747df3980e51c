using System.Text;
using Pretzel.Ingest.Import;

namespace Pretzel.Ingest.Tests.Import;

public sealed class EventImporterEncodingTests : IDisposable
{
    private readonly ImportFixture _f = new();

    public void Dispose() => _f.Dispose();

    // "café" and "Zürich" in Latin-1: é is 0xE9 and ü is 0xFC, neither valid on its own in UTF-8.
    private static byte[] Latin1Csv(string extension = "csv") => extension == "csv"
        ? Encoding.Latin1.GetBytes("message_id,timestamp,user_id,event,city\nm1,2025-03-01,u1,café_visit,x\nm2,2025-03-01,u2,signup,Zürich\nm3,2025-03-01,u3,signup,Paris\n")
        : Encoding.Latin1.GetBytes("""
            {"message_id":"m1","timestamp":"2025-03-01","user_id":"u1","event":"café_visit"}
            {"message_id":"m2","timestamp":"2025-03-01","user_id":"u2","event":"signup","city":"Zürich"}
            {"message_id":"m3","timestamp":"2025-03-01","user_id":"u3","event":"signup","city":"Paris"}

            """);

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task ImportFileAsync_Latin1ReadAsUtf8_RejectsThoseRowsNamingTheEncoding(string extension)
    {
        var path = _f.WriteBytes("latin1." + extension, Latin1Csv(extension));

        var report = await _f.Import(path);

        Assert.Equal(1, report.Written);
        Assert.Equal(extension == "csv" ? [2L, 3L] : [1L, 2L], report.Errors.Select(e => e.Line));
        Assert.All(report.Errors, e => Assert.Contains("encoding", e.Reason, StringComparison.Ordinal));
        Assert.All(report.Errors, e => Assert.Contains("latin1", e.Reason, StringComparison.Ordinal));
        Assert.Equal("m3", await _f.Scalar("select message_id from events"));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task ImportFileAsync_Latin1WithLatin1Encoding_ImportsTheTextCorrectly(string extension)
    {
        var path = _f.WriteBytes("latin1." + extension, Latin1Csv(extension));

        var report = await _f.Import(path, new ImportOptions { Encoding = "latin1" });

        Assert.Equal((3, 0), (report.Written, report.Rejected));
        Assert.Equal("café_visit", await _f.Scalar("select event from events where message_id = 'm1'"));
        Assert.Equal("Zürich", await _f.Scalar("select properties->>'city' from events where message_id = 'm2'"));
    }

    [Theory]
    [InlineData("csv", false)]
    [InlineData("jsonl", false)]
    [InlineData("csv", true)]
    [InlineData("jsonl", true)]
    public async Task ImportFileAsync_Utf16WithByteOrderMark_Imports(string extension, bool bigEndian)
    {
        var text = extension == "csv"
            ? "message_id,timestamp,user_id,event,city\nm1,2025-03-01,u1,signup,Zürich\nm2,2025-03-02,u2,café_visit,東京\n"
            : "{\"message_id\":\"m1\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"signup\",\"city\":\"Zürich\"}\n"
              + "{\"message_id\":\"m2\",\"timestamp\":\"2025-03-02\",\"user_id\":\"u2\",\"event\":\"café_visit\",\"city\":\"東京\"}\n";
        var path = _f.Write("utf16." + extension, text, bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode);
        Assert.Equal(bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE], File.ReadAllBytes(path)[..2]);

        var report = await _f.Import(path);

        Assert.Equal((2, 0), (report.Written, report.Rejected));
        Assert.Equal("Zürich", await _f.Scalar("select properties->>'city' from events where message_id = 'm1'"));
        Assert.Equal("東京", await _f.Scalar("select properties->>'city' from events where message_id = 'm2'"));
        Assert.Equal("café_visit", await _f.Scalar("select event from events where message_id = 'm2'"));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task ImportFileAsync_Utf8WithByteOrderMark_RecognisesTheFirstColumn(string extension)
    {
        var text = extension == "csv"
            ? "message_id,timestamp,user_id,event\nm1,2025-03-01,u1,signup\n"
            : "{\"message_id\":\"m1\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"signup\"}\n";
        var path = _f.Write("bom." + extension, text, new UTF8Encoding(true));

        var report = await _f.Import(path);

        Assert.Equal(1, report.Written);
        Assert.Equal("m1", await _f.Scalar("select message_id from events"));
    }

    [Fact]
    public async Task ImportFileAsync_Utf16WithoutByteOrderMarkAndEncodingOption_Imports()
    {
        var path = _f.WriteBytes("utf16.jsonl", Encoding.Unicode.GetBytes("{\"message_id\":\"m1\",\"timestamp\":\"2025-03-01\",\"user_id\":\"ü1\",\"event\":\"a\"}\n"));

        var report = await _f.Import(path, new ImportOptions { Encoding = "utf-16" });

        Assert.Equal(1, report.Written);
        Assert.Equal("ü1", await _f.Scalar("select user_id from events"));
    }

    [Fact]
    public async Task ImportFileAsync_UnknownEncoding_ThrowsNamingIt()
    {
        var path = _f.Write("x.csv", "timestamp,user_id,event\n2025-03-01,u,e\n");

        var ex = await Assert.ThrowsAsync<ImportException>(() => _f.Import(path, new ImportOptions { Encoding = "ebcdic" }));

        Assert.Contains("ebcdic", ex.Message, StringComparison.Ordinal);
    }
}
