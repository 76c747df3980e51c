using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Pretzel.Cli.Output;
using Pretzel.Ingest.Demo;
using Pretzel.Ingest.Import;

namespace Pretzel.Cli.Commands;

/// <summary>
/// <c>pretzel demo</c>: generate a seeded multi-channel data set, load it, print a summary; with <c>--report FILE</c>
/// also write the HTML report; with <c>--serve</c> load it into project <c>demo</c> of a server data folder and run
/// the dashboard on loopback, printing its address and a read key.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The demo project's read key, kept beside its store so that a later <c>demo --serve</c> can print it again (loopback demo only).</summary>
    internal const string ReadKeyFile = "demo-read-key.txt";

    internal static Command Create()
    {
        var people = new Option<int>("--people") { Description = "How many people to generate", DefaultValueFactory = _ => 20_000, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same data", DefaultValueFactory = _ => 1, HelpName = "N" };
        var days = new Option<int>("--days") { Description = "Length of the generated period in days, from 2025-01-01", DefaultValueFactory = _ => 365, HelpName = "N" };
        var report = new Option<string?>("--report") { Description = "Also write the HTML report (as pretzel report --out FILE) after loading", HelpName = "FILE" };
        var serve = new Option<bool>("--serve") { Description = "Load into project 'demo' of the --data folder, then run the dashboard on 127.0.0.1 and print its address and a read key (until Ctrl+C)" };
        var port = new Option<int>("--port") { Description = "With --serve: port on 127.0.0.1 (default 0: a free one)", DefaultValueFactory = _ => 0, HelpName = "N" };
        var command = new Command("demo", "Generate a realistic demo data set (journeys across web, ads, email, calls, meetings, referrals, purchases, refunds) and load it into the store")
        {
            people, seed, days, report, serve, port, ServerOptionsCli.Data,
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

            var serving = parse.GetValue(serve);
            var listen = parse.GetValue(port);
            if (serving)
            {
                if (parse.GetResult(CommonOptions.Db) is { Implicit: false } || parse.GetValue(StoreSelection.Store) is not null)
                {
                    throw CliException.Usage("--serve loads the demo into project 'demo' of the --data folder (its own DuckDB store); --db and --store do not apply");
                }

                if (listen is < 0 or > 65535)
                {
                    throw CliException.Usage($"--port {listen}: expected 0..65535");
                }
            }
            else if (parse.GetResult(port) is { Implicit: false } || parse.GetResult(ServerOptionsCli.Data) is { Implicit: false })
            {
                throw CliException.Usage("--port and --data go with --serve");
            }

            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            var project = serving ? DemoProject(parse.GetValue(ServerOptionsCli.Data)!) : null;
            using (var store = project is null ? StoreSelection.Open(parse, readOnly: false) : Pretzel.Storage.DuckDb.DuckDbEventStore.Open(project.Value.Store))
            {
                await LoadAndSummarize(parse, store, options, settings, parse.GetValue(report), cancellationToken).ConfigureAwait(false);
            }

            return project is null ? 0 : await ServeAsync(parse.GetValue(ServerOptionsCli.Data)!, project.Value.Name, project.Value.ReadKey, listen, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task LoadAndSummarize(ParseResult parse, Pretzel.Core.Storage.IEventStore store, DemoOptions options, Pretzel.Ingest.Projects.ProjectSettings settings, string? reportFile, CancellationToken cancellationToken)
    {
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

        if (reportFile is not null)
        {
            foreach (var (title, error) in await HtmlReportCommand.WriteAsync(store, settings, null, reportFile, cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync($"pretzel: report: {title}: {error}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"Report written to {Path.GetFullPath(reportFile)}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Project <c>demo</c> of <paramref name="data"/>, created if missing; its read key is kept in its folder so that
    /// the next run can print it again. A <c>demo</c> made elsewhere (whose key this command never saw) is left alone
    /// and <c>demo_2</c>, <c>demo_3</c>… is used instead.
    /// </summary>
    private static (string Name, string Store, string ReadKey)? DemoProject(string data)
    {
        var registry = new Pretzel.Server.Projects.ProjectRegistry(data);
        var existing = registry.List().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 1; i <= 99; i++)
        {
            var name = i == 1 ? "demo" : "demo_" + i.ToString(CultureInfo.InvariantCulture);
            var folder = Path.Combine(registry.DataDirectory, name);
            var keyFile = Path.Combine(folder, ReadKeyFile);
            if (existing.Contains(name))
            {
                if (File.Exists(keyFile) && File.ReadAllText(keyFile).Trim() is { Length: > 0 } saved && registry.Find(saved) is { Kind: Pretzel.Server.Projects.KeyKind.Read } hit && hit.Project.Name == name)
                {
                    return (name, Path.Combine(folder, "events.duckdb"), saved);
                }

                continue;
            }

            var created = registry.Create(name, DateTime.UtcNow);
            Directory.CreateDirectory(folder);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(keyFile, System.Text.Encoding.UTF8, options))
            {
                writer.WriteLine(created.ReadKey);
            }

            return (name, Path.Combine(folder, "events.duckdb"), created.ReadKey);
        }

        throw new CliException($"{registry.DataDirectory} already has projects demo to demo_99 whose read keys this command did not keep; use another --data folder");
    }

    private static async Task<int> ServeAsync(string data, string project, string readKey, int port, CancellationToken cancellationToken)
    {
        await using var app = Pretzel.Server.ServerHost.Build(
            ["--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--Pretzel:DataDirectory", Path.GetFullPath(data)]);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = app.Urls.First().TrimEnd('/') + "/";
        await Console.Out.WriteLineAsync($"dashboard: {url}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"project: {project}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"read_key: {readKey}").ConfigureAwait(false);
        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (!Console.IsErrorRedirected)
        {
            await Console.Error.WriteLineAsync("Open the address, sign in with the read key. Ctrl+C stops the server.").ConfigureAwait(false);
        }

        // Ctrl+C (or the caller's cancellation) stops the server, draining requests.
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
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
