using System.CommandLine;
using Pretzel.Cli.Output;
using Pretzel.Ingest.Costs;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel import-costs FILE</c>: ad costs per day, channel and campaign, for <c>pretzel roi</c>.</summary>
internal static class ImportCostsCommand
{
    private const int ErrorsShown = 20;

    internal static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "CSV with date (YYYY-MM-DD), channel, campaign (optional), cost, currency (optional with --currency)" };
        var currency = new Option<string?>("--currency") { Description = "Currency of rows without one (three letters, e.g. EUR)", HelpName = "CODE" };
        var command = new Command("import-costs", "Import ad costs (date, channel, campaign, cost, currency); importing the same costs again changes nothing")
        {
            file, currency,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            CostFileResult result;
            try
            {
                using var reader = new StreamReader(path);
                result = CostFile.Read(reader, parse.GetValue(currency));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{path}: {ex.Message}");
            }
            catch (CostFileException ex)
            {
                throw new CliException($"{path}: {ex.Message}");
            }

            foreach (var rejection in result.Rejected.Take(ErrorsShown))
            {
                await Console.Error.WriteLineAsync($"{path}: {rejection}").ConfigureAwait(false);
            }

            if (result.Rejected.Count > ErrorsShown)
            {
                await Console.Error.WriteLineAsync($"{path}: … and {result.Rejected.Count - ErrorsShown:N0} more rejected rows").ConfigureAwait(false);
            }

            using var store = StoreSelection.Open(parse, readOnly: false);
            var written = await store.UpsertCostsAsync(result.Entries, cancellationToken).ConfigureAwait(false);
            var currencies = string.Join(" ", result.Entries.Select(e => e.Currency).Distinct().Order(StringComparer.Ordinal));
            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)),
                ["file", "entries", "rejected", "cost", "currencies"],
                [[path, (long)written, (long)result.Rejected.Count, Math.Round(result.Entries.Sum(e => e.Cost), 2), currencies]]);
            return result.Entries.Count == 0 && result.Rejected.Count > 0 ? 1 : 0;
        });
        return command;
    }
}
