using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Guards analysts' SQL. A statement must start like a query and may not contain, anywhere outside
/// string literals, quoted names and comments, a keyword that writes (so <c>EXPLAIN ANALYZE DELETE …</c>
/// and <c>WITH … DELETE …</c> are refused too); one statement at a time. Stores opened read-only
/// (what <c>pretzel sql</c> uses) are additionally protected by DuckDB itself.
/// </summary>
internal static class ReadOnlySql
{
    private static readonly HashSet<string> QueryStarts = new(StringComparer.Ordinal)
    {
        "SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "DESC", "SHOW", "SUMMARIZE", "EXPLAIN",
    };

    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "TRUNCATE", "COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH",
        "CREATE", "DROP", "ALTER", "PRAGMA", "SET", "RESET", "CALL", "INSTALL", "LOAD", "FORCE", "CHECKPOINT", "VACUUM",
        "BEGIN", "COMMIT", "ROLLBACK", "ABORT", "PREPARE", "EXECUTE", "DEALLOCATE", "USE",
    };

    private static readonly SqlStatementScanner Scanner = new(backslashEscapes: false, backticks: false, dollarQuotes: true);

    /// <summary>Refuses anything but one read-only query, naming what it saw.</summary>
    internal static void ThrowIfNotAQuery(string sql) =>
        Scanner.ThrowIfNotAQuery(sql, QueryStarts, Writes, "SELECT, WITH, DESCRIBE, SHOW or SUMMARIZE");

    internal static string Explain(string duckDbMessage)
    {
        if (duckDbMessage.Contains("read-only", StringComparison.OrdinalIgnoreCase)
            || duckDbMessage.Contains("read only", StringComparison.OrdinalIgnoreCase))
        {
            return "pretzel sql is read-only: statements that change the store are refused (" + FirstLine(duckDbMessage) + ")";
        }

        if (duckDbMessage.Contains("external access", StringComparison.OrdinalIgnoreCase)
            || duckDbMessage.Contains("disabled by configuration", StringComparison.OrdinalIgnoreCase)
            || duckDbMessage.Contains("Permission Error", StringComparison.OrdinalIgnoreCase)
            || duckDbMessage.Contains("lock_configuration", StringComparison.OrdinalIgnoreCase)
            || duckDbMessage.Contains("configuration has been locked", StringComparison.OrdinalIgnoreCase))
        {
            return "pretzel sql reads the store only: files, extensions and settings are not available (" + FirstLine(duckDbMessage) + ")";
        }

        return FirstLine(duckDbMessage);
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? s.Trim() : s[..i].Trim();
    }
}
