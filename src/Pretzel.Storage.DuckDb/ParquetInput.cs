using DuckDB.NET.Data;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Reads Parquet through an in-memory DuckDB and hands it on as a temporary CSV, so Parquet rows go
/// through exactly the validation and normalisation of CSV rows (row N of the Parquet file is line
/// N + 1 of the CSV in error reports).
/// </summary>
public sealed class ParquetInput : IDisposable
{
    private ParquetInput(string path)
    {
        Path = path;
    }

    /// <summary>The temporary CSV.</summary>
    public string Path { get; }

    /// <summary>Converts <paramref name="parquetPath"/> to a temporary CSV file, deleted on dispose.</summary>
    public static ParquetInput ToCsv(string parquetPath)
    {
        var csv = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pretzel-parquet-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using (var utc = connection.CreateCommand())
        {
            // Timestamps with a time zone are written in the session's zone: make that UTC, as the 'Z' says.
            utc.CommandText = "SET TimeZone = 'UTC'";
            utc.ExecuteNonQuery();
        }

        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"COPY (SELECT * FROM read_parquet('{Escape(parquetPath)}')) TO '{Escape(csv)}' (HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ')";
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (DuckDBException ex)
        {
            File.Delete(csv);
            throw new StoreException($"{parquetPath}: cannot read as Parquet: {ex.Message.Split('\n')[0]}", ex);
        }

        return new ParquetInput(csv);
    }

    private static string Escape(string s) => s.Replace("'", "''", StringComparison.Ordinal);

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Temp file; harmless if left.
        }
    }
}
