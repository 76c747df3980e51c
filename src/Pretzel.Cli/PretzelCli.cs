using System.CommandLine;
using Pretzel.Cli.Commands;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;

namespace Pretzel.Cli;

/// <summary>The <c>pretzel</c> command: builds the command tree, runs it, and maps failures to exit codes (1 runtime, 2 usage).</summary>
internal static class PretzelCli
{
    internal static RootCommand Build()
    {
        var root = new RootCommand("Pretzel: customer-journey analytics. See how customers really travel from first touch to loyal advocate, and where they are lost.")
        {
            CommonOptions.Db,
            StoreSelection.Store,
            CommonOptions.Format,
            CommonOptions.Project,
        };
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ImportCostsCommand.Create());
        root.Subcommands.Add(SqlCommand.Create());
        root.Subcommands.Add(FunnelCommand.Create());
        root.Subcommands.Add(StagesCommand.Create());
        root.Subcommands.Add(JourneysCommand.Create());
        root.Subcommands.Add(PathsCommand.Create());
        root.Subcommands.Add(GraphCommand.Create());
        root.Subcommands.Add(RoiCommand.Create());
        root.Subcommands.Add(AttributionCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ClvCommand.Create());
        root.Subcommands.Add(RetentionCommand.Create());
        root.Subcommands.Add(SegmentsCommand.Create());
        root.Subcommands.Add(AarrrCommand.Create());
        root.Subcommands.Add(JourneyMapCommand.Create());
        root.Subcommands.Add(LoyaltyCommand.Create());
        root.Subcommands.Add(HtmlReportCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ProjectsCommand.Create());
        return root;
    }

    internal static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"pretzel: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'pretzel --help' (or 'pretzel COMMAND --help') for usage.").ConfigureAwait(false);
            return CliException.UsageError;
        }

        try
        {
            // The server handles SIGTERM and Ctrl+C itself (draining requests); other commands are cancelled.
            var serving = parse.CommandResult.Command.Name == "serve";
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (serving)
            {
                configuration.ProcessTerminationTimeout = null;
            }

            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"pretzel: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is StoreException or ImportException or ProjectSettingsException or Pretzel.Server.Projects.ProjectRegistryException)
        {
            await Console.Error.WriteLineAsync($"pretzel: {ex.Message}").ConfigureAwait(false);
            return ex is ProjectSettingsException ? CliException.UsageError : CliException.RuntimeError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("pretzel: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex)
        {
            // Not a failure we anticipated: say what happened in one line, with the details on request.
            await Console.Error.WriteLineAsync($"pretzel: unexpected error: {ex.Message.Split('\n')[0]}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("PRETZEL_DEBUG") is { Length: > 0 })
            {
                await Console.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync("Set PRETZEL_DEBUG=1 for the full stack trace.").ConfigureAwait(false);
            }

            return CliException.RuntimeError;
        }
    }
}
