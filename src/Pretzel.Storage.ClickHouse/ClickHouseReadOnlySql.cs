using System.Text;
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

    /// <summary>Refuses anything but one read-only query, naming what it saw.</summary>
    internal static void ThrowIfNotAQuery(string sql)
    {
        var (words, statements) = Scan(sql);
        if (statements > 1)
        {
            throw new StoreException("pretzel sql runs one statement at a time; remove the ';' between statements");
        }

        if (words.Count == 0)
        {
            throw new StoreException("pretzel sql: the query is empty");
        }

        if (!QueryStarts.Contains(words[0]) && words[0] != "(")
        {
            throw new StoreException($"pretzel sql is read-only: {words[0]} is refused; use SELECT, WITH, DESCRIBE or SHOW");
        }

        foreach (var w in words)
        {
            if (Writes.Contains(w))
            {
                throw new StoreException($"pretzel sql is read-only: a statement containing {w} is refused");
            }

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

    /// <summary>Upper-cased bare words (and "(" when a statement opens with one), and the number of statements.</summary>
    private static (List<string> Words, int Statements) Scan(string sql)
    {
        var words = new List<string>();
        var statements = 0;
        var inStatement = false;
        var i = 0;
        var word = new StringBuilder();
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var nl = sql.IndexOf('\n', i);
                i = nl < 0 ? sql.Length : nl + 1;
                continue;
            }

            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == ';')
            {
                inStatement = false;
                i++;
                continue;
            }

            if (!inStatement)
            {
                inStatement = true;
                statements++;
                if (c == '(' && words.Count == 0)
                {
                    words.Add("(");
                }
            }

            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(sql, i, c);
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                word.Clear();
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    word.Append(char.ToUpperInvariant(sql[i]));
                    i++;
                }

                // A name followed by '.' or preceded by '.' is part of a qualified name, not a keyword.
                var qualified = (i < sql.Length && sql[i] == '.') || (i - word.Length - 1 >= 0 && sql[i - word.Length - 1] == '.');
                if (!qualified)
                {
                    words.Add(word.ToString());
                }

                continue;
            }

            i++;
        }

        return (words, statements);
    }

    /// <summary>Skips a quoted literal or name: backslash escapes the next character, a doubled quote is one quote.</summary>
    private static int SkipQuoted(string sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }
}
