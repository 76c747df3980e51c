using System.Text;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// The one place where values from outside (names from the store URL, conversion event names) become
/// SQL text. Everything else the store sends is either constant SQL or data in a TSV request body.
/// </summary>
internal static class ClickHouseSql
{
    /// <summary>A quoted string literal: backslash escapes for <c>\</c>, <c>'</c> and control characters.</summary>
    internal static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\0': sb.Append(@"\0"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('\'').ToString();
    }

    /// <summary>A list of string literals, e.g. <c>'a', 'b'</c>.</summary>
    internal static string Literals(IEnumerable<string> values) => string.Join(", ", values.Select(Literal));

    /// <summary>A database or table name, back-quoted; only plain names are accepted.</summary>
    internal static string Identifier(string name)
    {
        if (!IsPlainName(name))
        {
            throw new ArgumentException($"'{name}' is not a plain name (letters, digits and '_', not starting with a digit)", nameof(name));
        }

        return "`" + name + "`";
    }

    /// <summary>Letters, digits and '_', not starting with a digit; at most 200 characters.</summary>
    internal static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 200
        && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Cluster names as <c>remote_servers</c> allows them in practice: letters, digits, '_', '-', '.'.</summary>
    internal static bool IsClusterName(string name) =>
        name.Length is > 0 and <= 200 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
