using System.CommandLine;
using Pretzel.Cli.Output;
using Pretzel.Ingest.Demo;
using Pretzel.Ingest.Import;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel demo</c>: generate a seeded multi-channel data set, load it, print a summary.</summary>
internal static class DemoCommand
{
    internal static Command Create()
    {
        var people = new Option<int>("--people") { Description = "How many people to generate", DefaultValueFactory = _ => 20_000, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same data", DefaultValueFactory = _ => 1, HelpName = "N" };
        var days = new Option<int>("--days") { Description = "Length of the generated period in days, from 2025-01-01", DefaultValueFactory = _ => 365, HelpName = "N" };
        var command = new Command("demo", "Generate a realistic demo data set (journeys across web, ads, email, calls, meetings, referrals, purchases, refunds) and load it into the store")
        {
            people, seed, days,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            DemoOptions options;
            try
            {
                options = new DemoOptions { People = parse.GetValue(people), Seed = parse.GetValue(seed), Days = parse.GetValue(days) };
                options.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw CliException.Usage(ex.Message.Split(" (Parameter")[0]);
            }

            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            using var store = StoreSelection.Open(parse, readOnly: false);
            var report = await Load(store, options, settings, cancellationToken).ConfigureAwait(false);
            var summary = await store.SummarizeAsync(settings.ConversionEvents, cancellationToken).ConfigureAwait(false);
            string[] columns = ["events", "people", "channels", "conversions", "revenue", "first_event", "last_event", "new_events", "seconds"];
            object?[] row =
            [
                summary.Events, summary.People, summary.Channels, summary.Conversions, Math.Round(summary.Revenue, 2),
                summary.FirstEvent, summary.LastEvent, report.Written, Math.Round(report.Elapsed.TotalSeconds, 2),
            ];
            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), columns, [row]);
            if (!Console.IsErrorRedirected)
            {
                await Console.Error.WriteLineAsync($"Loaded into {store.Description}. Try: pretzel sql \"select channel, count(*) as events from events group by channel order by events desc\" (with the same --db or --store)").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Task<ImportReport> Load(Pretzel.Core.Storage.IEventStore store, DemoOptions options, Pretzel.Ingest.Projects.ProjectSettings settings, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync($"Generating {options.People:N0} people", options.People * 15.0, async progress =>
        {
            var importer = new EventImporter(store, settings, TimeProvider.System);
            var events = new DemoGenerator(options).Generate();
            var report = await importer.ImportEventsAsync(events, "demo", new Progress<ImportProgress>(p => progress.Report(p.Rows)), cancellationToken).ConfigureAwait(false);

            // The ad spend behind the paid visits, for pretzel roi.
            var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
            await store.UpsertCostsAsync(DemoCosts.From(columns), cancellationToken).ConfigureAwait(false);
            return report;
        });
}
