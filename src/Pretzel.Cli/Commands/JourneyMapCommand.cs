using System.CommandLine;
using Pretzel.Analytics.JourneyMap;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Stages;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary>
/// <c>pretzel journey-map --model journey</c>: per stage, the stage numbers and the touchpoints used there, gaps
/// flagged (docs/analyses/journey-map.md). Besides the shared row formats, <c>--format md|html</c> writes a document.
/// </summary>
internal static class JourneyMapCommand
{
    internal static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"A built-in model ({string.Join(", ", BuiltInModels.Names)}) or a YAML file", HelpName = "NAME|FILE", DefaultValueFactory = _ => "journey" };
        var touch = new Option<string?>("--touch") { Description = "Touchpoints are the events' channels (default) or their event names", HelpName = "channel|event" };
        var top = new Option<int?>("--top") { Description = $"Touchpoints shown per stage (default {JourneyMapBuilder.DefaultTop})", HelpName = "N" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default: all events)", HelpName = "TIME" };
        var output = new Option<string?>("--out") { Description = "Write the output to this file instead of the terminal", HelpName = "FILE" };

        // This command's own --format: the shared formats, plus md and html for a document to share.
        var format = new Option<string?>("--format")
        {
            Description = "Output: table, json, csv, or md / html for a shareable map document (default: table on a terminal, csv when piped)",
            HelpName = "table|json|csv|md|html",
        };
        format.AcceptOnlyFromAmong("table", "json", "csv", "md", "html");
        var command = new Command("journey-map", "Customer-journey map: per stage, who reached it, who is there now, conversion, days in stage and the touchpoints used there; stages without touchpoints are gaps")
        {
            model, touch, top, to, format, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new JourneyMapReport { Model = parse.GetValue(model), Touch = parse.GetValue(touch), Top = parse.GetValue(top), To = parse.GetValue(to) };
            try
            {
                report.Check(DateTime.UtcNow);
            }
            catch (PathException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            using var store = StoreSelection.Open(parse, readOnly: true);
            var map = await report.BuildAsync(store, cancellationToken).ConfigureAwait(false);
            var chosen = parse.GetValue(format);
            var path = parse.GetValue(output);
            using var writer = path is null ? null : Create(path);
            var target = writer ?? Console.Out;
            switch (chosen)
            {
                case "md":
                    await target.WriteAsync(JourneyMapDocument.Markdown(map)).ConfigureAwait(false);
                    break;
                case "html":
                    await target.WriteAsync(JourneyMapDocument.Html(map)).ConfigureAwait(false);
                    break;
                default:
                    var table = JourneyMapRows.Table(map);
                    RowWriter.Write(target, writer is null ? CommonOptions.ResolveFormat(chosen) : chosen switch
                    {
                        "json" => OutputFormat.Json,
                        "table" => OutputFormat.Table,
                        _ => OutputFormat.Csv,
                    }, table.Columns, table.Rows);
                    break;
            }

            return 0;
        });
        return command;
    }

    private static StreamWriter Create(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"--out {path}: {ex.Message}");
        }
    }
}
