using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli;

/// <summary>How a command that answers with an <see cref="IReport"/> runs: options checked before the store is opened (a usage error names them), then the rows over the store in the asked format.</summary>
internal static class ReportCommand
{
    internal static async Task<int> RunAsync(ParseResult parse, IReport report, CancellationToken cancellationToken)
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
            table = await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
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
