using System.Text;
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
            throw new StoreException($"pretzel sql is read-only: {words[0]} is refused; use SELECT, WITH, DESCRIBE, SHOW or SUMMARIZE");
        }

        foreach (var w in words)
        {
            if (Writes.Contains(w))
            {
                throw new StoreException($"pretzel sql is read-only: a statement containing {w} is refused");
            }
        }
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

            if (c is '\'' or '"')
            {
                i = SkipQuoted(sql, i, c);
                continue;
            }

            if (c == '$' && TrySkipDollarQuoted(sql, ref i))
            {
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

    private static int SkipQuoted(string sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
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

        return i;
    }

    private static bool TrySkipDollarQuoted(string sql, ref int i)
    {
        var close = sql.IndexOf('$', i + 1);
        if (close < 0)
        {
            return false;
        }

        var tag = sql.AsSpan(i, close - i + 1);
        foreach (var ch in tag[1..^1])
        {
            if (!char.IsLetterOrDigit(ch) && ch != '_')
            {
                return false;
            }
        }

        var end = sql.IndexOf(tag.ToString(), close + 1, StringComparison.Ordinal);
        i = end < 0 ? sql.Length : end + tag.Length;
        return true;
    }

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
