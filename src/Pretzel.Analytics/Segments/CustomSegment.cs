using System.Text.RegularExpressions;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// A segment defined by an SQL condition over the <c>events</c> table (e.g. <c>channel = 'email' AND revenue &gt; 100</c>): a
/// person is in it when at least one of their events up to the end of the analysis satisfies it.
/// </summary>
public sealed partial record CustomSegment(string Name, string Sql)
{
    /// <summary>Parses <c>NAME=SQL</c> (<c>--segment</c>); throws <see cref="PathException"/> naming the bad one.</summary>
    public static CustomSegment Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? text.Trim() : text[..eq].Trim();
        var sql = eq < 0 ? "" : text[(eq + 1)..].Trim();
        if (!NamePattern().IsMatch(name) || sql.Length == 0)
        {
            throw new PathException($"--segment {text}: expected NAME=SQL condition, NAME of letters, digits, _ and -, e.g. big=revenue > 1000");
        }

        if (name is SegmentAssignment.Rfm or SegmentAssignment.AbcXyzName)
        {
            throw new PathException($"--segment {name}: the name is taken by the built-in segmentation");
        }

        return new CustomSegment(name, sql);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
