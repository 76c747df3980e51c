namespace Pretzel.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class StoreSelectionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Store_DuckDbUrl_ReachesTheSameStoreAsDb()
    {
        var db = _temp.File("s.duckdb");
        var csv = _temp.Write("e.csv", "message_id,timestamp,user_id,event\nm1,2025-03-01,u1,purchase\nm2,2025-03-02,u2,purchase\n");
        Assert.Equal(0, (await CliRun.Run("import", "--store", "duckdb:" + db, csv)).Exit);

        var viaDb = await CliRun.Run("sql", "--db", db, "--format", "csv", "select count(*) as n from events");
        var viaStore = await CliRun.Run("sql", "--store", "duckdb:" + db, "--format", "csv", "select count(*) as n from events");

        Assert.Equal("n\n2\n", viaDb.Out.ReplaceLineEndings("\n"));
        Assert.Equal(viaDb.Out, viaStore.Out);
    }

    [Fact]
    public async Task Store_AndDbTogether_IsAUsageError()
    {
        var result = await CliRun.Run("sql", "--store", "duckdb:" + _temp.File("a.duckdb"), "--db", _temp.File("b.duckdb"), "select 1");
        Assert.Equal(2, result.Exit);
        Assert.Contains("--store and --db", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://localhost/x")]
    [InlineData("pretzel.duckdb")]
    public async Task Store_UnknownScheme_IsAUsageErrorNamingTheUrl(string url)
    {
        var result = await CliRun.Run("sql", "--store", url, "select 1");
        Assert.Equal(2, result.Exit);
        Assert.Contains(url, result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
