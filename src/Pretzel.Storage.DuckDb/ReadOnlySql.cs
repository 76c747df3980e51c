namespace Pretzel.Storage.DuckDb;

/// <summary>Turns DuckDB's refusals of writes on a read-only store into a message for the user.</summary>
internal static class ReadOnlySql
{
    private static readonly string[] QueryKeywords =
        ["SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "DESC", "SHOW", "SUMMARIZE", "EXPLAIN", "("];

    /// <summary>Refuses anything that does not start like a query, naming the statement it saw.</summary>
    internal static void ThrowIfNotAQuery(string sql)
    {
        var text = StripLeadingComments(sql);
        foreach (var k in QueryKeywords)
        {
            if (text.StartsWith(k, StringComparison.OrdinalIgnoreCase)
                && (k == "(" || text.Length == k.Length || !char.IsLetterOrDigit(text[k.Length])))
            {
                return;
            }
        }

        var word = new string(text.TakeWhile(char.IsLetter).ToArray()).ToUpperInvariant();
        throw new Pretzel.Core.Storage.StoreException(
            $"pretzel sql is read-only: {(word.Length == 0 ? "this statement" : word)} is refused; use SELECT, WITH, DESCRIBE, SHOW or SUMMARIZE");
    }

    private static string StripLeadingComments(string sql)
    {
        var s = sql.AsSpan().TrimStart();
        while (true)
        {
            if (s.StartsWith("--"))
            {
                var nl = s.IndexOf('\n');
                s = nl < 0 ? [] : s[(nl + 1)..].TrimStart();
            }
            else if (s.StartsWith("/*"))
            {
                var end = s.IndexOf("*/");
                s = end < 0 ? [] : s[(end + 2)..].TrimStart();
            }
            else
            {
                return s.ToString();
            }
        }
    }

    internal static string Explain(string duckDbMessage)
    {
        if (duckDbMessage.Contains("read-only", StringComparison.OrdinalIgnoreCase)
            || duckDbMessage.Contains("read only", StringComparison.OrdinalIgnoreCase))
        {
            return "pretzel sql is read-only: statements that change the store are refused (" + FirstLine(duckDbMessage) + ")";
        }

        if (duckDbMessage.Contains("external access", StringComparison.OrdinalIgnoreCase)
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
