using DuckDB.NET.Data;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Reads input files (CSV, JSON lines or Parquet) through an in-memory DuckDB as one table, <c>input</c>, runs the
/// user's <c>SELECT</c> over it and hands the result on as a temporary CSV, so the rows go through exactly the
/// validation and normalisation of any imported file. This is how an export with other names, no event names or
/// computed values becomes events in one command: renames (<c>CustomerID AS user_id</c>), constants
/// (<c>'purchase' AS event</c>) and expressions (<c>Quantity * UnitPrice AS revenue</c>), filters and grouping.
/// <para>
/// <c>input</c> has the files' columns (by name, across files) plus <c>_file</c> (the file's name) and <c>_line</c>
/// (the row's line in its file, counting the header as line 1; exact unless a quoted value spans lines). A result
/// column <see cref="OriginColumn"/> (added automatically for a select list, or written in a full query, e.g.
/// <c>min(_file || ':' || _line) AS _origin</c> for grouped rows) names each row's origin in error reports.
/// </para>
/// </summary>
public sealed class SelectInput : IDisposable
{
    /// <summary>The result column that names where a row came from; not stored.</summary>
    public const string OriginColumn = "_origin";

    private SelectInput(string path, bool hasOrigin)
    {
        Path = path;
        HasOrigin = hasOrigin;
    }

    /// <summary>The temporary CSV holding the query's result.</summary>
    public string Path { get; }

    /// <summary>Whether the result has an <see cref="OriginColumn"/>.</summary>
    public bool HasOrigin { get; }

    /// <summary>
    /// Runs <paramref name="select"/> over <paramref name="files"/> (all of one format: <c>csv</c>, <c>jsonl</c> or
    /// <c>parquet</c>). A <paramref name="select"/> starting with <c>SELECT</c> or <c>WITH</c> is a whole query over
    /// <c>input</c>; anything else is a select list, run as <c>SELECT _origin, LIST FROM input [WHERE where]</c>.
    /// Throws <see cref="StoreException"/> with DuckDB's message when a file cannot be read or the query is wrong.
    /// </summary>
    public static SelectInput ToCsv(IReadOnlyList<string> files, string format, string select, string? where)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(select);
        if (files.Count == 0)
        {
            throw new ArgumentException("No input files.", nameof(files));
        }

        var query = IsQuery(select)
            ? where is null ? select : throw new StoreException("--where goes with a select list; a whole query has its own WHERE")
            : $"SELECT _file || ':' || _line AS {OriginColumn}, {select} FROM input{(where is null ? "" : $" WHERE {where}")}";
        var csv = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pretzel-select-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "SET TimeZone = 'UTC'");
        var list = string.Join(", ", files.Select(f => $"'{Escape(f)}'"));
        var read = format switch
        {
            "csv" => $"read_csv([{list}], header = true, union_by_name = true, filename = true)",
            "jsonl" => $"read_json([{list}], format = 'newline_delimited', union_by_name = true, filename = true)",
            "parquet" => $"read_parquet([{list}], union_by_name = true, filename = true)",
            _ => throw new ArgumentException($"Unknown input format '{format}'.", nameof(format)),
        };
        try
        {
            // A table keeps the files' row order (rowid), from which each row's line in its file follows.
            Execute(connection, $"CREATE TABLE input_rows AS SELECT * FROM {read}");
            Execute(connection, """
                CREATE VIEW input AS
                SELECT * EXCLUDE (filename), parse_filename(filename) AS _file,
                       CAST(row_number() OVER (PARTITION BY filename ORDER BY rowid) + 1 AS BIGINT) AS _line
                FROM input_rows
                """);
        }
        catch (DuckDBException ex)
        {
            throw new StoreException($"cannot read the input as {format}: {FirstLine(ex)}", ex);
        }

        bool hasOrigin;
        try
        {
            using (var describe = connection.CreateCommand())
            {
                describe.CommandText = $"DESCRIBE ({query})";
                using var reader = describe.ExecuteReader();
                hasOrigin = false;
                while (reader.Read())
                {
                    hasOrigin |= reader.GetString(0) == OriginColumn;
                }
            }

            Execute(connection, $"COPY ({query}) TO '{Escape(csv)}' (HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ')");
        }
        catch (DuckDBException ex)
        {
            File.Delete(csv);
            throw new StoreException($"--select: {FirstLine(ex)} (the query runs over the table `input`: the files' columns, _file and _line)", ex);
        }

        return new SelectInput(csv, hasOrigin);
    }

    private static bool IsQuery(string select)
    {
        var text = select.TrimStart();
        return text.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("SELECT\n", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("WITH ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string FirstLine(DuckDBException ex) => ex.Message.Split('\n')[0];

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
