using System.CommandLine;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Shapes;
using Pretzel.Analytics.Stages;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel journeys --shape</c>: how pretzel-shaped the journeys are (see docs/analyses/journeys.md).</summary>
internal static class JourneysCommand
{
    internal static Command Create()
    {
        var shape = new Option<bool>("--shape") { Description = "Share of journeys that are linear, skip stages, go back, loop on a touchpoint, return after a gap, enter mid-funnel or refuse" };
        var model = new Option<string>("--model") { Description = $"A built-in stage model ({string.Join(", ", BuiltInModels.Names)}) or a YAML file", HelpName = "NAME|FILE", DefaultValueFactory = _ => "journey" };
        var gap = new Option<string?>("--gap") { Description = "Time between two consecutive events of a person that counts as a return (default 30d; units s, m, h, d, w)", HelpName = "DURATION" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default: all events)", HelpName = "TIME" };
        var by = new Option<string?>("--by") { Description = "Break down by first_touch: the channel of the person's first event with one", HelpName = "first_touch" };
        var command = new Command("journeys", "Journey shapes: how many journeys walk the stages in order, and how many skip, go back, loop, return or refuse") { shape, model, gap, to, by };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!parse.GetValue(shape))
            {
                throw CliException.Usage("journeys: say what to show: --shape");
            }

            ShapeOptions options;
            try
            {
                options = new ShapeOptions
                {
                    Model = StageModelFile.Resolve(parse.GetValue(model)!),
                    Gap = parse.GetValue(gap) is { } g ? FunnelArguments.ParseDuration(g, "--gap") : ShapeOptions.DefaultGap,
                    To = parse.GetValue(to) is { } t ? FunnelArguments.ParseTime(t) : null,
                    By = parse.GetValue(by),
                };
                options.Validate();
            }
            catch (Exception ex) when (ex is StageModelException or FunnelException or ShapeException)
            {
                throw CliException.Usage(ex.Message);
            }

            using var store = StoreSelection.Open(parse, readOnly: true);
            var rows = await ShapeQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), ShapeRow.Columns, [.. rows.Select(r => r.Values())]);
            return 0;
        });
        return command;
    }
}
