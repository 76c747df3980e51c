using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// Guards analysts' SQL, as the DuckDB store's ReadOnlySql does (a copy adapted to ClickHouse's syntax:
/// backslash escapes in literals, back-quoted names, ClickHouse's statements). A statement must start like
/// a query and may not contain, outside literals, quoted names and comments, a keyword that writes; one
/// statement at a time; no FORMAT or INTO OUTFILE, since the store chooses how results travel. The server
/// enforces the rest: every query is sent with <c>readonly=1</c>, which refuses writes, setting changes and
/// table functions (files, URLs, other servers).
/// </summary>
internal static class ClickHouseReadOnlySql
{
    private static readonly HashSet<string> QueryStarts = new(StringComparer.Ordinal)
    {
        "SELECT", "WITH", "DESCRIBE", "DESC", "SHOW", "EXISTS", "EXPLAIN",
    };

    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        "INSERT", "UPDATE", "DELETE", "ALTER", "CREATE", "DROP", "RENAME", "TRUNCATE", "OPTIMIZE", "ATTACH", "DETACH",
        "KILL", "SYSTEM", "SET", "USE", "GRANT", "REVOKE", "EXCHANGE", "UNDROP", "BACKUP", "RESTORE", "MOVE",
    };

    private static readonly SqlStatementScanner Scanner = new(backslashEscapes: true, backticks: true, dollarQuotes: false);

    /// <summary>Refuses anything but one read-only query, naming what it saw.</summary>
    internal static void ThrowIfNotAQuery(string sql)
    {
        foreach (var w in Scanner.ThrowIfNotAQuery(sql, QueryStarts, Writes, "SELECT, WITH, DESCRIBE or SHOW"))
        {
            if (w is "FORMAT" or "OUTFILE")
            {
                throw new StoreException($"pretzel sql chooses the output format itself: remove {(w == "FORMAT" ? "FORMAT …" : "INTO OUTFILE …")} and use --format");
            }
        }
    }

    /// <summary>Explains the server's refusal of a query sent with <c>readonly=1</c>.</summary>
    internal static string Explain(string message)
    {
        if (message.Contains("Table functions are forbidden", StringComparison.OrdinalIgnoreCase))
        {
            return "pretzel sql reads the store only: table functions (files, URLs, other servers) are not available (" + message + ")";
        }

        if (message.Contains("readonly", StringComparison.OrdinalIgnoreCase) || message.Contains("read-only", StringComparison.OrdinalIgnoreCase))
        {
            return "pretzel sql is read-only: statements that change the store are refused (" + message + ")";
        }

        return message;
    }
}
