using System.CommandLine;
using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel graph</c>: the Markov chain of touchpoints, its black holes and bright paths (see docs/analyses/graph.md).</summary>
internal static class GraphCommand
{
    internal static Command Create()
    {
        var touch = new Option<string?>("--touch") { Description = "What a touchpoint is: event (default here: pages and actions), channel, channel:event or campaign", HelpName = "KIND" };
        var conversion = new Option<string?>("--conversion") { Description = "Conversion events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };
        var lookback = new Option<string?>("--lookback") { Description = "Touches older than this before a journey's end are left out (default 90d)", HelpName = "DURATION" };
        var collapse = new Option<bool>("--collapse") { Description = "Count repeated consecutive touches once" };
        var maxLength = new Option<string?>("--max-length") { Description = "Keep only the last N touches of each path", HelpName = "N" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default now)", HelpName = "TIME" };
        var order = new Option<int?>("--order") { Description = "Markov order 1..4: a state is the last K touches (default 1)", HelpName = "K" };
        var transitions = new Option<bool>("--transitions") { Description = "List the transitions (from, to, transitions, probability) instead of the nodes" };
        var blackHoles = new Option<bool>("--black-holes") { Description = "Rank the nodes by prospects lost right after them, with what matching the average exit rate would gain" };
        var brightPaths = new Option<int?>("--bright-paths") { Description = "The K most probable routes from (start) to (conversion)", HelpName = "K" };
        var top = new Option<int?>("--top") { Description = "With --black-holes: how many nodes (default 20)", HelpName = "N" };
        var command = new Command("graph", "Touchpoint graph: the Markov chain of journeys, with exact conversion probabilities, black holes and bright paths")
        {
            touch, conversion, lookback, collapse, maxLength, to, order, transitions, blackHoles, brightPaths, top,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            PathOptions options;
            var k = parse.GetValue(order) ?? 1;
            var routes = parse.GetValue(brightPaths);
            try
            {
                options = new PathArguments
                {
                    Touch = parse.GetValue(touch) ?? "event",
                    Conversion = parse.GetValue(conversion),
                    Lookback = parse.GetValue(lookback),
                    Collapse = parse.GetValue(collapse),
                    MaxLength = parse.GetValue(maxLength),
                    To = parse.GetValue(to),
                }.ToOptions(DateTime.UtcNow);
            }
            catch (PathException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            if (k is < 1 or > MarkovChain.MaxOrder)
            {
                throw CliException.Usage($"--order {k}: expected 1..{MarkovChain.MaxOrder}");
            }

            if (routes is < 1)
            {
                throw CliException.Usage($"--bright-paths {routes}: must be at least 1");
            }

            if (new[] { parse.GetValue(transitions), parse.GetValue(blackHoles), routes is not null }.Count(x => x) > 1)
            {
                throw CliException.Usage("choose one of --transitions, --black-holes and --bright-paths");
            }

            using var store = StoreSelection.Open(parse, readOnly: true);
            var result = await PathQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
            var chain = MarkovChain.FromPaths(result.Table, k);
            var format = CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format));
            if (parse.GetValue(blackHoles))
            {
                RowWriter.Write(Console.Out, format, BlackHoleRow.Columns, [.. chain.BlackHoles(parse.GetValue(top) ?? 20).Select(r => r.Values())]);
            }
            else if (routes is { } n)
            {
                RowWriter.Write(Console.Out, format, BrightPathRow.Columns, [.. chain.BrightPaths(n).Select(r => r.Values())]);
            }
            else if (parse.GetValue(transitions))
            {
                RowWriter.Write(Console.Out, format, TransitionRow.Columns, [.. chain.Transitions().Select(r => r.Values())]);
            }
            else
            {
                RowWriter.Write(Console.Out, format, NodeRow.Columns, [.. chain.Nodes().Select(r => r.Values())]);
            }

            return 0;
        });
        return command;
    }
}
