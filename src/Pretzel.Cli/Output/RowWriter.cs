using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Pretzel.Core.Storage;
using Spectre.Console;

namespace Pretzel.Cli.Output;

/// <summary>
/// Prints rows as a table (for people), JSON (an array of objects with snake_case keys, for scripts)
/// or CSV. The three show the same columns in the same order. Times are printed as ISO-8601 UTC.
/// </summary>
internal static class RowWriter
{
    internal static void Write(TextWriter output, OutputFormat format, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(output, columns, rows);
                break;
            case OutputFormat.Csv:
                WriteCsv(output, columns, rows);
                break;
            default:
                WriteTable(output, columns, rows);
                break;
        }
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            RowJson.WriteRows(json, columns, rows);
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteCsv(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        output.WriteLine(string.Join(',', columns.Select(Quote)));
        foreach (var row in rows)
        {
            output.WriteLine(string.Join(',', row.Select(v => Quote(Text(v)))));
        }
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteTable(TextWriter output, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == Console.Out && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (output != Console.Out || Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }

        if (rows.Count == 1 && columns.Count > 4)
        {
            // One wide row (a summary) reads better as field/value pairs than as columns wrapped to the terminal.
            var card = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
            for (var i = 0; i < columns.Count; i++)
            {
                card.AddRow(new Text(columns[i]), new Text(Text(rows[0][i])));
            }

            console.Write(card);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(c)));
        }

        for (var i = 0; i < columns.Count; i++)
        {
            if (rows.Count > 0 && rows.All(r => r[i] is null or byte or short or int or long or float or double or decimal or BigInteger or ulong or uint))
            {
                table.Columns[i].RightAligned();
            }
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(v => new Text(v is null ? "" : Text(v))).ToArray<Spectre.Console.Rendering.IRenderable>());
        }

        console.Write(table);
        output.WriteLine($"{rows.Count:N0} row{(rows.Count == 1 ? "" : "s")}");
    }

    /// <summary>A value as text: invariant numbers, ISO-8601 UTC times, JSON for lists.</summary>
    internal static string Text(object? value) => RowJson.Text(value);
}
