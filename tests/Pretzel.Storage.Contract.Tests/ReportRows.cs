using System.Globalization;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>Report rows as comparable text (doubles round-trip exactly), and the comparison the random cross-store tests share.</summary>
internal static class ReportRows
{
    /// <summary>One line per row, values joined by '|'.</summary>
    internal static List<string> Flatten(IEnumerable<object?[]> rows) =>
        [.. rows.Select(r => string.Join("|", r.Select(v => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : v?.ToString() ?? "")))];

    /// <summary>Asserts the rows are equal, naming <paramref name="what"/> and the first row that differs.</summary>
    internal static void Same(List<string> expected, List<string> actual, object what) =>
        Assert.True(expected.SequenceEqual(actual), $"{what}: {expected.Count} reference rows, {actual.Count} from ClickHouse; first difference: "
            + expected.Zip(actual).FirstOrDefault(x => x.First != x.Second));
}
