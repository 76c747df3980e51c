using System.Data;
using System.Globalization;
using System.Numerics;
using Sylvan.Data.Csv;

namespace Pretzel.Analytics.Paths;

/// <summary>
/// The path table in ChannelAttribution's file format, so analysts can compare tools: <c>;</c>-separated
/// with the header <c>path;total_conversions;total_conversion_value;total_null</c>, touches joined by
/// <c> &gt; </c>. A path without touches (a conversion with no touch in the lookback) is written
/// <c>(no touch)</c>.
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

    /// <summary>Reads a path table file; throws <see cref="PathException"/> naming the line and the column of a bad value.</summary>
    public static IReadOnlyList<PathRow> Read(TextReader text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { Delimiter = ';', HasHeaders = true });
        var names = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToList();
        var index = Columns.Select(c => names.IndexOf(c) is var i && i >= 0 ? i : throw new PathException($"{source}: no '{c}' column (expected {string.Join(';', Columns)})")).ToArray();
        var rows = new List<PathRow>();
        var line = 1;
        while (csv.Read())
        {
            line++;
            var path = csv.GetString(index[0]);
            var touches = path == NoTouch ? [] : path.Split(" > ").Select(t => t.Trim()).ToArray();
            rows.Add(new PathRow(touches, Number<long>(csv, index[1], Columns[1], line, source), Number<double>(csv, index[2], Columns[2], line, source),
                Number<long>(csv, index[3], Columns[3], line, source)));
        }

        return rows;
    }

    private static T Number<T>(CsvDataReader csv, int column, string name, int line, string source)
        where T : INumber<T>
    {
        var text = csv.GetString(column);
        return T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= T.Zero
            ? value
            : throw new PathException($"{source}, line {line}, column {name}: '{text}' is not a non-negative number");
    }
}
