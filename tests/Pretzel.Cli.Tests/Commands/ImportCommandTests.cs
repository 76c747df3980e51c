using System.Diagnostics;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Pretzel.Cli.Tests.Commands;

[Collection(ConsoleCollection.Name)]
public sealed class ImportCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.File("store.duckdb");

    [Fact]
    public async Task Import_MissingFile_ExitsTwoNamingIt()
    {
        var missing = _temp.File("nope.csv");

        var result = await CliRun.Run("import", "--db", Db, missing);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Folder_ExitsTwo()
    {
        var result = await CliRun.Run("import", "--db", Db, _temp.Path);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains("is a folder", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--map", "CustomerID")]
    [InlineData("--delimiter", "ab")]
    [InlineData("--input-format", "xlsx")]
    public async Task Import_BadOption_ExitsTwo(string option, string value)
    {
        var csv = _temp.Write("e.csv", "timestamp,user_id,event\n2025-03-01,u1,a\n");

        var result = await CliRun.Run("import", "--db", Db, option, value, csv);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains(value, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FileWithBadRows_ExitsZeroReportsRowsAndIsIdempotent()
    {
        var csv = _temp.Write("e.csv", "message_id,timestamp,user_id,event\nm1,2025-03-01,u1,a\nm2,not-a-time,u1,b\nm3,2025-03-02,u2,c\n");

        var first = await CliRun.Run("import", "--db", Db, "--format", "json", csv);
        var second = await CliRun.Run("import", "--db", Db, "--format", "json", csv);

        Assert.True(first.Exit == 0, first.ToString());
        Assert.Contains("line 3, column timestamp", first.Error, StringComparison.Ordinal);
        Assert.Contains("not-a-time", first.Error, StringComparison.Ordinal);
        var row = Assert.Single(JsonDocument.Parse(first.Out).RootElement.EnumerateArray().ToList());
        Assert.Equal((3, 2, 0, 1), (row.GetProperty("rows").GetInt32(), row.GetProperty("written").GetInt32(), row.GetProperty("duplicates").GetInt32(), row.GetProperty("rejected").GetInt32()));
        Assert.Equal(csv + ".rejects.csv", row.GetProperty("rejects_file").GetString());
        var again = Assert.Single(JsonDocument.Parse(second.Out).RootElement.EnumerateArray().ToList());
        Assert.Equal((0, 2), (again.GetProperty("written").GetInt32(), again.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task Import_EveryRowRejected_ExitsOne()
    {
        var csv = _temp.Write("bad.csv", "timestamp,user_id,event\nnever,u1,a\n");

        var result = await CliRun.Run("import", "--db", Db, csv);

        Assert.True(result.Exit == 1, result.ToString());
    }

    [Fact]
    public async Task Import_HeaderWithoutTimestamp_ExitsOneNamingTheFix()
    {
        var csv = _temp.Write("nots.csv", "user_id,event,when\nu1,a,2025-03-01\n");

        var result = await CliRun.Run("import", "--db", Db, csv);

        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains("--map YOUR_COLUMN=timestamp", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MapAndDelimiterOptions_AreApplied()
    {
        var csv = _temp.Write("crm.txt", "Customer;When;What\nc1;2025-03-01 10:00;signup\n");

        var result = await CliRun.Run("import", "--db", Db, "--input-format", "csv", "--delimiter", ";", "--map", "Customer=user_id,When=timestamp", "--map", "What=event", csv);

        Assert.True(result.Exit == 0, result.ToString());
        var rows = await CliRun.Run("sql", "--db", Db, "--format", "csv", "select user_id, timestamp, event from events");
        Assert.Equal("user_id,timestamp,event" + Environment.NewLine + "c1,2025-03-01T10:00:00Z,signup", rows.Out.TrimEnd());
    }

    [Fact]
    public async Task Import_Parquet_ImportsThroughCsvAndWritesRejectsBesideTheParquetFile()
    {
        var parquet = _temp.File("events.parquet");
        WriteParquet(parquet, """
            SELECT * FROM (VALUES ('p1', TIMESTAMP '2025-03-01 12:00:00', 'u1', 'signup'), ('p2', TIMESTAMP '2025-03-01 13:00:00', NULL, 'orphan'))
            AS t(message_id, timestamp, user_id, event)
            """);

        var result = await CliRun.Run("import", "--db", Db, "--format", "json", parquet);

        Assert.True(result.Exit == 0, result.ToString());
        var row = Assert.Single(JsonDocument.Parse(result.Out).RootElement.EnumerateArray().ToList());
        Assert.Equal(parquet, row.GetProperty("file").GetString());
        Assert.Equal(1, row.GetProperty("written").GetInt32());
        Assert.Equal(parquet + ".rejects.csv", row.GetProperty("rejects_file").GetString());
        Assert.True(File.Exists(parquet + ".rejects.csv"));
    }

    // Parquet written by Spark, pandas or Arrow stores UTC-adjusted times, which DuckDB reads as
    // TIMESTAMP WITH TIME ZONE; the instant must not depend on the time zone of the machine importing it.
    [Fact]
    public async Task Import_ParquetWithTimestampTzOnMachineOutsideUtc_KeepsTheInstant()
    {
        var parquet = _temp.File("tz.parquet");
        WriteParquet(parquet, "SELECT 'z1' AS message_id, TIMESTAMPTZ '2025-03-01 10:00:00+00:00' AS timestamp, 'u1' AS user_id, 'signup' AS event");
        var cli = typeof(PretzelCli).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "import", "--db", Db, parquet })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TZ"] = "Asia/Tokyo";
        using (var process = Process.Start(start)!)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await stderr);
        }

        var result = await CliRun.Run("sql", "--db", Db, "--format", "csv", "select timestamp from events");
        Assert.Equal("timestamp" + Environment.NewLine + "2025-03-01T10:00:00Z", result.Out.TrimEnd());
    }

    private static void WriteParquet(string path, string select)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"COPY ({select}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }
}
