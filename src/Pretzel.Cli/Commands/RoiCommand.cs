using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Roi;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel roi --model markov [--by campaign]</c>: ad spend against attributed revenue.</summary>
internal static class RoiCommand
{
    internal static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Attribution model (default markov; see pretzel attribution)", HelpName = "MODEL" };
        var by = new Option<string?>("--by") { Description = "channel (default) or campaign", HelpName = "channel|campaign" };
        var conversion = new Option<string?>("--conversion") { Description = "Conversion events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };
        var lookback = new Option<string?>("--lookback") { Description = "Touches older than this before a journey's end are left out (default 90d)", HelpName = "DURATION" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default now); later costs are left out", HelpName = "TIME" };
        var command = new Command("roi", "Return on ad spend: cost, attributed conversions and revenue, CPA, ROAS and ROMI per channel or campaign")
        {
            model, by, conversion, lookback, to,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new RoiReport
            {
                Paths = new PathArguments { Conversion = parse.GetValue(conversion), Lookback = parse.GetValue(lookback), To = parse.GetValue(to) },
                Model = parse.GetValue(model),
                By = parse.GetValue(by),
            };
            return await ReportCommand.RunAsync(parse, report, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
