using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel graph</c>: the Markov chain of touchpoints, its black holes and bright paths (see docs/analyses/graph.md).</summary>
internal static class GraphCommand
{
    internal static Command Create()
    {
        var journeys = new JourneyOptions("event");
        var order = new Option<int?>("--order") { Description = "Markov order 1..4: a state is the last K touches (default 1)", HelpName = "K" };
        var transitions = new Option<bool>("--transitions") { Description = "List the transitions (from, to, transitions, probability) instead of the nodes" };
        var blackHoles = new Option<bool>("--black-holes") { Description = "Rank the nodes by prospects lost right after them, with what matching the average exit rate would gain" };
        var brightPaths = new Option<int?>("--bright-paths") { Description = "The K most probable routes from (start) to (conversion)", HelpName = "K" };
        var top = new Option<int?>("--top") { Description = "With --black-holes: how many nodes (default 20)", HelpName = "N" };
        var command = new Command("graph", "Touchpoint graph: the Markov chain of journeys, with exact conversion probabilities, black holes and bright paths")
        {
            order, transitions, blackHoles, brightPaths, top,
        };
        foreach (var option in journeys.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var views = new[] { parse.GetValue(transitions), parse.GetValue(blackHoles), parse.GetValue(brightPaths) is not null };
            if (views.Count(x => x) > 1)
            {
                throw CliException.Usage("choose one of --transitions, --black-holes and --bright-paths");
            }

            var report = new GraphReport
            {
                Paths = journeys.Arguments(parse),
                Order = parse.GetValue(order),
                View = views[0] ? "transitions" : views[1] ? "black_holes" : views[2] ? "bright_paths" : "nodes",
                Top = parse.GetValue(brightPaths) ?? parse.GetValue(top),
            };
            return await ReportCommand.RunAsync(parse, report, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
