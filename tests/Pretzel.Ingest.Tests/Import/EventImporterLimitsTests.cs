using System.Text;
using Pretzel.Ingest.Import;

namespace Pretzel.Ingest.Tests.Import;

public sealed class EventImporterLimitsTests : IDisposable
{
    private readonly ImportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ImportFileAsync_FiveMegabyteCsvField_RejectsThatRowOnly()
    {
        var huge = new string('x', 5 * 1024 * 1024);
        var path = _f.Write("huge.csv",
            "message_id,timestamp,user_id,event,note\n"
            + "m1,2025-03-01,u1,a,small\n"
            + $"m2,2025-03-01,u2,b,\"{huge}\"\n"
            + "m3,2025-03-01,u3,c,small\n"
            + "m4,2025-03-01,u4,,small\n");

        var report = await _f.Import(path);

        Assert.Equal(2, report.Written);
        Assert.Null(report.Stopped);
        Assert.Equal([3L, 5L], report.Errors.Select(e => e.Line));
        Assert.Equal("note", report.Errors[0].Column);
        Assert.Contains("characters long", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.True(report.Errors[0].Value!.Length <= 100);
        Assert.Equal(["m1", "m3"], (await _f.Query("select message_id from events order by 1")).Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task ImportFileAsync_JsonLineLongerThanMaxRecordBytes_SkipsItAndKeepsTheOthers()
    {
        var huge = new string('y', 3 * 1024 * 1024);
        var path = _f.Write("huge.jsonl",
            "{\"message_id\":\"m1\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"a\"}\n"
            + $"{{\"message_id\":\"m2\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u2\",\"event\":\"b\",\"note\":\"{huge}\"}}\n"
            + "{\"message_id\":\"m3\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u3\",\"event\":\"c\"}\n"
            + "{\"message_id\":\"m4\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u4\"}\n"
            + "{\"message_id\":\"m5\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u5\",\"event\":\"e\"}");

        var report = await _f.Import(path, new ImportOptions { Limits = new ImportLimits { MaxRecordBytes = 1024 * 1024 } });

        Assert.Equal(3, report.Written);
        Assert.Equal([2L, 4L], report.Errors.Select(e => e.Line));
        Assert.Contains("longer than 1 MB", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal(["m1", "m3", "m5"], (await _f.Query("select message_id from events order by 1")).Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task ImportFileAsync_LastJsonLineTooLongWithoutNewline_IsReportedAtItsLine()
    {
        var path = _f.Write("tail.jsonl",
            "{\"message_id\":\"m1\",\"timestamp\":\"2025-03-01\",\"user_id\":\"u1\",\"event\":\"a\"}\n"
            + "{\"note\":\"" + new string('z', 200_000) + "\"}");

        var report = await _f.Import(path, new ImportOptions { Limits = new ImportLimits { MaxRecordBytes = 100_000 } });

        Assert.Equal(1, report.Written);
        Assert.Equal(2, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public async Task ImportFileAsync_CsvRecordLongerThanMaxRecordBytes_StopsThereAndKeepsEarlierRows()
    {
        var path = _f.Write("long.csv",
            "message_id,timestamp,user_id,event,note\n"
            + "m1,2025-03-01,u1,a,x\n"
            + "m2,2025-03-01,u2,b,\"" + new string('x', 3 * 1024 * 1024) + "\"\n"
            + "m3,2025-03-01,u3,c,x\n");

        var report = await _f.Import(path, new ImportOptions { Limits = new ImportLimits { MaxRecordBytes = 1024 * 1024 } });

        Assert.NotNull(report.Stopped);
        Assert.Contains("line 3", report.Stopped, StringComparison.Ordinal);
        Assert.True(await _f.Count("message_id = 'm1'") == 1);
    }

    [Fact]
    public async Task ImportFileAsync_UnterminatedQuoteAtTheEnd_SetsStoppedAndKeepsEarlierRows()
    {
        var path = _f.Write("open-quote.csv",
            "message_id,timestamp,user_id,event,note\n"
            + "m1,2025-03-01,u1,a,x\n"
            + "m2,2025-03-01,u2,b,\"multi\nline\"\n"
            + "m3,2025-03-01,u3,c,x\n"
            + "m4,2025-03-01,u4,d,\"never closed\n"
            + "m5,2025-03-01,u5,e,x\n");

        var report = await _f.Import(path);

        Assert.NotNull(report.Stopped);
        Assert.Contains("line 6", report.Stopped, StringComparison.Ordinal);
        Assert.Equal(["m1", "m2", "m3"], (await _f.Query("select message_id from events order by 1")).Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task ImportFileAsync_FieldLongerThanMaxFieldLength_IsRejectedNamingTheColumn()
    {
        var path = _f.Write("field.csv", $"message_id,timestamp,user_id,event\nm1,2025-03-01,u1,{new string('e', 101)}\nm2,2025-03-01,u1,ok\n");

        var report = await _f.Import(path, new ImportOptions { Limits = new ImportLimits { MaxFieldLength = 100 } });

        Assert.Equal(1, report.Written);
        var error = Assert.Single(report.Errors);
        Assert.Equal("event", error.Column);
        Assert.Contains("101 characters long", error.Reason, StringComparison.Ordinal);
    }
}
