using System.CommandLine;
using Pretzel.Analytics.Funnels;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel funnel --steps "a,b,c" --window 7d</c>: an honest funnel (see docs/analyses/funnel.md).</summary>
internal static class FunnelCommand
{
    internal static Command Create()
    {
        var steps = new Option<string>("--steps") { Description = "Steps, comma-separated: event names (page names for page views), stage names of --model, or conditions joined by &: FIELD=VALUE (event, type, channel, source, medium, campaign) and properties.KEY OP VALUE (OP = != > >= < <=), e.g. purchase&properties.plan=pro", HelpName = "a,b,c", Required = true };
        var window = new Option<string?>("--window") { Description = "Longest time from the first step to the last (default 7d; units s, m, h, d, w)", HelpName = "DURATION" };
        var stepWindow = new Option<string?>("--step-window") { Description = "Longest time from the previous step, per step: 2=1d,3=14d", HelpName = "STEP=DURATION,..." };
        var order = new Option<string?>("--order") { Description = "ordered (default): each step later than the previous; strict: consecutive events; any: any order within the window", HelpName = "ordered|strict|any" };
        var open = new Option<bool>("--open") { Description = "People may enter at any step (rows then count who entered at each step)" };
        var exclude = new Option<string?>("--exclude") { Description = "An event (or FIELD=VALUE condition) that breaks a chain it falls inside", HelpName = "STEP" };
        var excludeBetween = new Option<string?>("--exclude-between") { Description = "Only between these steps: FROM-TO (default the whole funnel)", HelpName = "FROM-TO" };
        var count = new Option<string?>("--count") { Description = "people (default: each person once) or journeys (each attempt)", HelpName = "people|journeys" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default now): later events are ignored, and people whose window is still open then count as still in window", HelpName = "TIME" };
        var by = new Option<string?>("--by") { Description = "Break down by channel, source, medium, campaign or type of the first step's event, by first_touch / last_touch, or by customer segment: segment:rfm, segment:abc_xyz, segment:NAME (segments: in the project file)", HelpName = "FIELD" };
        var people = new Option<int?>("--people") { Description = "Instead of the step rows, list the people at this step (1-based) with --status", HelpName = "STEP" };
        var model = new Option<string?>("--model") { Description = $"A stage model ({string.Join(", ", Pretzel.Analytics.Stages.BuiltInModels.Names)}, or a YAML file) whose stage names may be used as steps", HelpName = "NAME|FILE" };
        var status = new Option<string?>("--status") { Description = "With --people: converted (went on), dropped (window closed) or in_window (window still open)", HelpName = "converted|dropped|in_window" };
        var command = new Command("funnel", "Funnel: per step, who entered, converted, dropped or is still in the window, and how long it took")
        {
            steps, window, stepWindow, order, open, exclude, excludeBetween, count, to, by, model, people, status,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bySegment = Pretzel.Analytics.Segments.SegmentedReport.Asks(parse.GetValue(by)) ? parse.GetValue(by) : null;
            FunnelOptions options;
            try
            {
                var stageModel = parse.GetValue(model) is { } name ? Pretzel.Analytics.Stages.StageModelFile.Resolve(name) : null;
                options = new FunnelArguments
                {
                    Steps = parse.GetValue(steps),
                    Window = parse.GetValue(window),
                    StepWindows = parse.GetValue(stepWindow),
                    Order = parse.GetValue(order),
                    Open = parse.GetValue(open),
                    Exclude = parse.GetValue(exclude),
                    ExcludeBetween = parse.GetValue(excludeBetween),
                    Count = parse.GetValue(count),
                    To = parse.GetValue(to),
                    By = bySegment is null ? parse.GetValue(by) : null,
                    Model = stageModel,
                }.ToOptions(DateTime.UtcNow);
            }
            catch (Exception ex) when (ex is FunnelException or Pretzel.Analytics.Stages.StageModelException)
            {
                throw CliException.Usage(ex.Message);
            }

            var format = CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format));
            if (bySegment is not null)
            {
                if (parse.GetValue(people) is not null)
                {
                    throw CliException.Usage("--people lists one funnel's people; leave out --by segment:…");
                }

                return await ReportCommand.RunAsync(parse, new Pretzel.Analytics.Segments.SegmentedReport(new FunnelRowsReport(options), bySegment, CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project)).Segments), cancellationToken).ConfigureAwait(false);
            }

            if (parse.GetValue(people) is { } step)
            {
                var wanted = parse.GetValue(status) switch
                {
                    "converted" => FunnelStatus.Converted,
                    "dropped" => FunnelStatus.Dropped,
                    "in_window" => FunnelStatus.InWindow,
                    var other => throw CliException.Usage($"--status {other ?? "(missing)"}: with --people, expected converted, dropped or in_window"),
                };
                if (step < 1 || step > options.Steps.Count)
                {
                    throw CliException.Usage($"--people {step}: the funnel has steps 1..{options.Steps.Count}");
                }

                using var peopleStore = StoreSelection.Open(parse, readOnly: true);
                var list = await FunnelQuery.PeopleAsync(peopleStore, options, step, wanted, cancellationToken).ConfigureAwait(false);
                RowWriter.Write(Console.Out, format, FunnelQuery.PeopleColumns, list);
                return 0;
            }

            if (parse.GetValue(status) is not null)
            {
                throw CliException.Usage("--status needs --people STEP");
            }

            using var store = StoreSelection.Open(parse, readOnly: true);
            var rows = await FunnelQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
            RowWriter.Write(Console.Out, format, FunnelRow.ColumnsBy(options.By), [.. rows.Select(r => r.ValuesBy(options.By))]);
            return 0;
        });
        return command;
    }
}
