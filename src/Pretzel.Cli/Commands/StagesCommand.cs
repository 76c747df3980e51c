using System.CommandLine;
using Pretzel.Analytics.Stages;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel stages --model journey</c>: how people move through a stage model (see docs/analyses/stages.md).</summary>
internal static class StagesCommand
{
    internal static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"A built-in model ({string.Join(", ", BuiltInModels.Names)}) or a YAML file", HelpName = "NAME|FILE", DefaultValueFactory = _ => "journey" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default: all events)", HelpName = "TIME" };
        var command = new Command("stages", "Stage model: per stage, who reached it, who is there now, conversion, time spent, skips, regressions and refusals") { model, to };
        command.SetAction(async (parse, cancellationToken) =>
        {
            StageModel resolved;
            DateTime? end = null;
            try
            {
                resolved = StageModelFile.Resolve(parse.GetValue(model)!);
            }
            catch (StageModelException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            if (parse.GetValue(to) is { } text)
            {
                try
                {
                    end = Pretzel.Analytics.Funnels.FunnelArguments.ParseTime(text);
                }
                catch (Pretzel.Analytics.Funnels.FunnelException ex)
                {
                    throw CliException.Usage(ex.Message);
                }
            }

            using var store = StoreSelection.Open(parse, readOnly: true);
            var rows = await StageQuery.RunAsync(store, resolved, end, cancellationToken).ConfigureAwait(false);
            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), StageRow.Columns, [.. rows.Select(r => r.Values())]);
            return 0;
        });
        return command;
    }
}
