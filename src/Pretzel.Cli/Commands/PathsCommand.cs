using System.CommandLine;
using System.Globalization;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel paths</c>: the journeys' paths to conversion and to loss, and the path table export (see docs/analyses/paths.md).</summary>
internal static class PathsCommand
{
    internal static Command Create()
    {
        var journeys = new JourneyOptions("channel");
        var sort = new Option<string?>("--sort") { Description = "Rank paths by journeys (default), conversions, losses or value", HelpName = "MEASURE" };
        var top = new Option<int?>("--top") { Description = "How many paths to list before '(other paths)' (default 20)", HelpName = "N" };
        var export = new Option<string?>("--export") { Description = "Write the whole path table to FILE in ChannelAttribution's format (path;total_conversions;total_conversion_value;total_null)", HelpName = "FILE" };
        var after = new Option<string?>("--after") { Description = "Flow (Sankey rows) of the steps after each person's first EVENT", HelpName = "EVENT" };
        var before = new Option<string?>("--before") { Description = "Flow of the steps before each person's first EVENT", HelpName = "EVENT" };
        var between = new Option<string?>("--between") { Description = "Flow of the steps from each person's first A to the next B", HelpName = "A,B" };
        var depth = new Option<int?>("--depth") { Description = "With a flow: how many steps away (default 3)", HelpName = "N" };
        var nodes = new Option<int?>("--nodes") { Description = "With a flow: nodes kept per depth, the rest merged into (other) (default 8)", HelpName = "N" };
        var by = new Option<string?>("--by") { Description = "segment:rfm, segment:abc_xyz or segment:NAME (segments: in the project file): the rows once per customer segment", HelpName = "segment:rfm|segment:abc_xyz|segment:NAME" };
        var command = new Command("paths", "Paths: the touches of each journey to a conversion or to nothing, ranked, exported as a path table, or as flows around an event")
        {
            sort, top, export, after, before, between, depth, nodes, by,
        };
        foreach (var option in journeys.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new PathsReport
            {
                Paths = journeys.Arguments(parse),
                Sort = parse.GetValue(sort),
                Top = parse.GetValue(top),
                After = parse.GetValue(after),
                Before = parse.GetValue(before),
                Between = parse.GetValue(between),
                Depth = parse.GetValue(depth),
                Nodes = parse.GetValue(nodes),
            };
            var now = DateTime.UtcNow;
            PathOptions options;
            try
            {
                options = report.Validate(now).Paths;
            }
            catch (PathException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            if (parse.GetValue(by) is { } segments)
            {
                if (parse.GetValue(export) is not null)
                {
                    throw CliException.Usage("--export writes one path table; leave out --by");
                }

                return await ReportCommand.RunAsync(parse, new Pretzel.Analytics.Segments.SegmentedReport(report, segments, CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project)).Segments), cancellationToken).ConfigureAwait(false);
            }

            using var store = StoreSelection.Open(parse, readOnly: true);
            if (parse.GetValue(export) is { } file)
            {
                var result = await PathQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
                try
                {
                    using var writer = new StreamWriter(file);
                    PathTableFile.Write(writer, result.Table);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"--export {file}: {ex.Message}", 1);
                }

                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {result.Paths.Count:N0} paths ({result.Journeys:N0} journeys, {result.Paths.Sum(p => p.Conversions):N0} conversions) to {file}"));
                return 0;
            }

            var table = await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), table.Columns, table.Rows);
            return 0;
        });
        return command;
    }
}
