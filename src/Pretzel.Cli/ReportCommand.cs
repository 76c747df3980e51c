using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;
using Pretzel.Core.Storage;

namespace Pretzel.Cli;

/// <summary>How a command that answers with an <see cref="IReport"/> runs: options checked before the store is opened (a usage error names them), then the rows over the store in the asked format.</summary>
internal static class ReportCommand
{
    /// <summary>Runs <paramref name="report"/>, or <paramref name="run"/> in its place once the options passed the report's check (e.g. with progress).</summary>
    internal static async Task<int> RunAsync(ParseResult parse, IReport report, CancellationToken cancellationToken,
        Func<IEventStore, DateTime, Task<ReportTable>>? run = null)
    {
        var now = DateTime.UtcNow;
        try
        {
            report.Check(now);
        }
        catch (PathException ex)
        {
            throw CliException.Usage(ex.Message);
        }

        using var store = StoreSelection.Open(parse, readOnly: true);
        ReportTable table;
        try
        {
            table = await (run is null ? report.RunAsync(store, now, cancellationToken) : run(store, now)).ConfigureAwait(false);
        }
        catch (PathException ex)
        {
            // The data, not the options, are at fault (e.g. nothing to fit): an error naming it.
            throw new CliException(ex.Message);
        }

        RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), table.Columns, table.Rows);
        return 0;
    }
}
