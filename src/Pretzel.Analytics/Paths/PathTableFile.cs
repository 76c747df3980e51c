using System.Data;
using System.Globalization;
using Sylvan.Data.Csv;

namespace Pretzel.Analytics.Paths;

/// <summary>
/// The path table in ChannelAttribution's file format, so analysts can compare tools: <c>;</c>-separated
/// with the header <c>path;total_conversions;total_conversion_value;total_null</c>, touches joined by
/// <c> &gt; </c>. A path without touches (a conversion with no touch in the lookback) is written
/// <c>(no touch)</c>. The reader of this format is <c>Attribution.AttributionPathFile</c>.
/// </summary>
public static class PathTableFile
{
    public static IReadOnlyList<string> Columns { get; } = ["path", "total_conversions", "total_conversion_value", "total_null"];

    /// <summary>The name written for a path without touches.</summary>
    public const string NoTouch = "(no touch)";

    public static void Write(TextWriter writer, IEnumerable<PathRow> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        using var table = new DataTable();
        table.Locale = CultureInfo.InvariantCulture;
        table.Columns.Add(Columns[0], typeof(string));
        table.Columns.Add(Columns[1], typeof(long));
        table.Columns.Add(Columns[2], typeof(double));
        table.Columns.Add(Columns[3], typeof(long));
        foreach (var row in rows)
        {
            table.Rows.Add(row.Touches.Count == 0 ? NoTouch : row.Path, row.Conversions, row.ConversionValue, row.Nulls);
        }

        using var csv = CsvDataWriter.Create(writer, new CsvDataWriterOptions { Delimiter = ';', Culture = CultureInfo.InvariantCulture });
        using var reader = table.CreateDataReader();
        csv.Write(reader);
    }
}
