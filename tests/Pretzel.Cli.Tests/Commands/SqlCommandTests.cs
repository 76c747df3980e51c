using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

[Collection(ConsoleCollection.Name)]
public sealed class SqlCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private readonly string _db;

    public SqlCommandTests()
    {
        _db = _temp.File("store.duckdb");
    }

    public async Task InitializeAsync()
    {
        var csv = _temp.Write("events.csv", """
            message_id,timestamp,user_id,anonymous_id,event,revenue,utm_source,utm_medium
            m1,2025-03-01T12:00:00.25Z,u1,a1,purchase,19.90,google,cpc
            m2,2025-03-02T08:00:00Z,,a2,page_view,,,
            """);
        var import = await CliRun.Run("import", "--db", _db, csv);
        Assert.True(import.Exit == 0, import.ToString());
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sql_FormatJson_PrintsAnArrayOfSnakeCaseObjects()
    {
        var result = await CliRun.Run("sql", "--db", _db, "--format", "json",
            "select message_id, user_id, revenue, timestamp, channel, 2 + 3 as five from events order by message_id");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(
            ["message_id", "user_id", "revenue", "timestamp", "channel", "five"],
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("m1", rows[0].GetProperty("message_id").GetString());
        Assert.Equal("u1", rows[0].GetProperty("user_id").GetString());
        Assert.Equal(19.9, rows[0].GetProperty("revenue").GetDouble());
        Assert.Equal("2025-03-01T12:00:00.250000Z", rows[0].GetProperty("timestamp").GetString());
        Assert.Equal("paid_search", rows[0].GetProperty("channel").GetString());
        Assert.Equal(5, rows[0].GetProperty("five").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("user_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("revenue").ValueKind);
        Assert.Equal("2025-03-02T08:00:00Z", rows[1].GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Sql_FormatCsv_PrintsHeaderAndRows()
    {
        var result = await CliRun.Run("sql", "--db", _db, "--format", "csv", "select message_id, event from events order by 1");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(["message_id,event", "m1,purchase", "m2,page_view"], result.Out.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public async Task Sql_FormatTable_ShowsColumnsValuesAndRowCount()
    {
        var result = await CliRun.Run("sql", "--db", _db, "--format", "table", "select message_id, event from events order by 1");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("message_id", result.Out, StringComparison.Ordinal);
        Assert.Contains("page_view", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 rows", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_FormatXml_ExitsTwoNamingXml()
    {
        var result = await CliRun.Run("sql", "--db", _db, "--format", "xml", "select 1");

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains("xml", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Sql_MissingDb_ExitsOneNamingThePath()
    {
        var missing = _temp.File("missing.duckdb");

        var result = await CliRun.Run("sql", "--db", missing, "select 1");

        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Theory]
    [InlineData("delete from events")]
    [InlineData("DROP TABLE events")]
    [InlineData("insert into events select * from events")]
    public async Task Sql_WriteStatement_ExitsOneSayingReadOnly(string sql)
    {
        var result = await CliRun.Run("sql", "--db", _db, sql);

        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains("read-only", result.Error, StringComparison.Ordinal);
        var count = await CliRun.Run("sql", "--db", _db, "--format", "csv", "select count(*) as n from events");
        Assert.Equal("n" + Environment.NewLine + "2", count.Out.TrimEnd());
    }

    [Fact]
    public async Task Sql_BadQuery_ExitsOneWithDuckDbsMessage()
    {
        var result = await CliRun.Run("sql", "--db", _db, "select nope from events");

        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_EmptyQuery_ExitsTwo()
    {
        var result = await CliRun.Run("sql", "--db", _db, "  ");

        Assert.True(result.Exit == 2, result.ToString());
    }

    [Fact]
    public async Task Sql_PersonsView_IsQueryable()
    {
        var result = await CliRun.Run("sql", "--db", _db, "--format", "json", "select person_id from persons order by 1");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(["anon:a2", "u1"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("person_id").GetString()));
    }
}
