namespace Pretzel.Ingest.Tests.Import;

/// <summary>Values that are syntactically fine but would break a store or merge people: rejected per row, the rest kept.</summary>
public sealed class EventImporterHostileValueTests : IDisposable
{
    private const string Good = """{"messageId":"good","type":"track","event":"e","userId":"u","timestamp":"2025-03-01T00:00:00Z"}""";
    private readonly ImportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ImportFileAsync_EmptyJsonStrings_CountAsMissing()
    {
        var path = _f.Write("e.jsonl", Good + "\n"
            + """{"messageId":"","type":"track","event":"e","userId":"u2","timestamp":"2025-03-01T00:00:00Z"}""" + "\n"
            + """{"messageId":"m3","type":"track","event":"e","userId":"","anonymousId":"","timestamp":"2025-03-01T00:00:00Z"}""" + "\n");

        var report = await _f.Import(path);

        Assert.Equal((2, 1), (report.Written, report.Rejected));
        Assert.Equal(3, report.Errors[0].Line);
        Assert.Contains("anonymous_id or a user_id", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal(0, await _f.Count("message_id = ''"));
    }

    [Fact]
    public async Task ImportFileAsync_LoneSurrogateEscapeInAField_RejectsTheRowOnly()
    {
        var path = _f.Write("s.jsonl", Good + "\n" + """{"messageId":"m2","type":"track","event":"e","userId":"\ud800x","timestamp":"2025-03-01T00:00:00Z"}""" + "\n");

        var report = await _f.Import(path);

        Assert.Equal((1, 1), (report.Written, report.Rejected));
        Assert.Contains("surrogate", report.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_LoneSurrogateEscapeInProperties_RejectsTheRowOnly()
    {
        var path = _f.Write("p.jsonl", Good + "\n" + """{"messageId":"m2","type":"track","event":"e","userId":"u","timestamp":"2025-03-01T00:00:00Z","properties":{"k":"\ud800"}}""" + "\n");

        var report = await _f.Import(path);

        Assert.Equal((1, 1), (report.Written, report.Rejected));
        Assert.Equal("properties", report.Errors[0].Column);
    }

    [Fact]
    public async Task ImportFileAsync_NulInAValue_RejectsTheRowOnly()
    {
        var path = _f.Write("n.csv", "message_id,timestamp,user_id,event\nm1,2025-01-01T00:00:00Z,u1,a\nm2,2025-01-01T00:00:00Z,u2,x\0y\n");

        var report = await _f.Import(path);

        Assert.Equal((1, 1), (report.Written, report.Rejected));
        Assert.Equal((3L, "event"), (report.Errors[0].Line, report.Errors[0].Column));
        Assert.Contains("NUL", report.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFileAsync_UserIdLookingLikeAnAnonymousPerson_IsRejected()
    {
        var path = _f.Write("a.csv", "message_id,timestamp,user_id,anonymous_id,event\nm1,2025-01-01T00:00:00Z,anon:v1,,a\nm2,2025-01-01T00:00:00Z,,v1,b\n");

        var report = await _f.Import(path);

        Assert.Equal((1, 1), (report.Written, report.Rejected));
        Assert.Equal("user_id", report.Errors[0].Column);
        Assert.Equal(1, await _f.Count());
    }
}
