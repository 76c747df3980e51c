using System.Text;

namespace Pretzel.Core.Storage;

/// <summary>
/// Reads an SQL text the way a read-only guard needs: the bare words (upper-cased) outside string
/// literals, quoted names and comments, and how many statements the text holds. Names that are part
/// of a qualified name (<c>e.set</c>) are not words. Engines quote differently, hence the options.
/// </summary>
public sealed class SqlStatementScanner
{
    private readonly bool _backslashEscapes;
    private readonly bool _backticks;
    private readonly bool _dollarQuotes;

    /// <param name="backslashEscapes">A backslash escapes the next character inside quotes (ClickHouse).</param>
    /// <param name="backticks">Back-quoted names (ClickHouse).</param>
    /// <param name="dollarQuotes">Dollar-quoted strings such as <c>$$text$$</c> (DuckDB).</param>
    public SqlStatementScanner(bool backslashEscapes, bool backticks, bool dollarQuotes)
    {
        _backslashEscapes = backslashEscapes;
        _backticks = backticks;
        _dollarQuotes = dollarQuotes;
    }

    /// <summary>The bare words (and "(" when a statement opens with one) and the number of statements.</summary>
    public (IReadOnlyList<string> Words, int Statements) Scan(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
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

            if (c is '\'' or '"' || (c == '`' && _backticks))
            {
                i = SkipQuoted(sql, i, c);
                continue;
            }

            if (c == '$' && _dollarQuotes && TrySkipDollarQuoted(sql, ref i))
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

    /// <summary>
    /// Refuses <paramref name="sql"/> unless it is one statement that starts with one of
    /// <paramref name="queryStarts"/> and contains none of <paramref name="writes"/>.
    /// </summary>
    /// <returns>The words, for engine-specific checks.</returns>
    public IReadOnlyList<string> ThrowIfNotAQuery(string sql, IReadOnlySet<string> queryStarts, IReadOnlySet<string> writes, string allowedHint)
    {
        ArgumentNullException.ThrowIfNull(queryStarts);
        ArgumentNullException.ThrowIfNull(writes);
        var (words, statements) = Scan(sql);
        if (statements > 1)
        {
            throw new StoreException("pretzel sql runs one statement at a time; remove the ';' between statements");
        }

        if (words.Count == 0)
        {
            throw new StoreException("pretzel sql: the query is empty");
        }

        if (!queryStarts.Contains(words[0]) && words[0] != "(")
        {
            throw new StoreException($"pretzel sql is read-only: {words[0]} is refused; use {allowedHint}");
        }

        foreach (var w in words)
        {
            if (writes.Contains(w))
            {
                throw new StoreException($"pretzel sql is read-only: a statement containing {w} is refused");
            }
        }

        return words;
    }

    private int SkipQuoted(string sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (_backslashEscapes && sql[i] == '\\')
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
}
