using System.CommandLine;
using Pretzel.Analytics.Lifetime;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary>
/// <c>pretzel clv</c>: customer lifetime value from purchases, BG/NBD for how many and Gamma-Gamma for how much, from the
/// store or from a file of per-customer summaries (see docs/analyses/clv.md).
/// </summary>
internal static class ClvCommand
{
    private const int ErrorsShown = 20;

    internal static Command Create()
    {
        var summary = new Option<string?>("--summary") { Description = "Fit from FILE of per-customer summaries (header ID,x,t_x,T[,zbar] or lifetimes' ID,frequency,recency,T[,monetary_value]) instead of the store", HelpName = "FILE" };
        var calibrationEnd = new Option<string?>("--calibration-end") { Description = "End of the calibration period, its UTC day counting whole (default: the last event's time); later purchases are ignored", HelpName = "DATE" };
        var horizon = new Option<string?>("--horizon") { Description = "How far ahead to predict purchases and value (default 52w)", HelpName = "DURATION" };
        var unit = new Option<string?>("--unit") { Description = "Unit of t_x, T and the parameters: week (default) or day; with --summary, the file's unit", HelpName = "week|day" };
        var purchase = new Option<string?>("--purchase") { Description = "Purchase events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };
        var parameters = new Option<bool>("--params") { Description = "Print the fitted BG/NBD and Gamma-Gamma parameters and log-likelihoods instead of one row per customer" };
        var top = new Option<int?>("--top") { Description = "Only the N customers of highest expected value", HelpName = "N" };
        var discount = new Option<double?>("--discount") { Description = "Discount rate per unit (e.g. 0.002 a week; default 0, undiscounted)", HelpName = "RATE" };
        var command = new Command("clv", "Customer lifetime value: expected purchases (BG/NBD), probability alive, expected spend (Gamma-Gamma) and value per customer")
        {
            summary, calibrationEnd, horizon, unit, purchase, parameters, top, discount,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new ClvReport
            {
                Purchase = parse.GetValue(purchase),
                CalibrationEnd = parse.GetValue(calibrationEnd),
                Horizon = parse.GetValue(horizon),
                Unit = parse.GetValue(unit),
                Discount = parse.GetValue(discount),
                Params = parse.GetValue(parameters),
                Top = parse.GetValue(top),
            };
            try
            {
                report.Validate();
            }
            catch (PathException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            var format = CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format));
            static void Note(string message) => Console.Error.WriteLine($"pretzel: warning: {message}");
            var file = parse.GetValue(summary);
            ReportTable table;
            if (file is null)
            {
                using var store = StoreSelection.Open(parse, readOnly: true);
                try
                {
                    table = await report.RunAsync(store, Note, cancellationToken).ConfigureAwait(false);
                }
                catch (PathException ex)
                {
                    throw new CliException(ex.Message);
                }

                RowWriter.Write(Console.Out, format, table.Columns, table.Rows);
                return 0;
            }

            foreach (var (option, name) in new (Option, string)[] { (purchase, "--purchase"), (calibrationEnd, "--calibration-end") })
            {
                if (parse.GetResult(option) is not null)
                {
                    throw CliException.Usage($"{name} applies to the store's events; a summary file (--summary) is already summarised");
                }
            }

            var read = Read(file);
            ReportErrors(file, read);
            if (read.Customers.Count == 0)
            {
                throw new CliException($"{file}: no usable rows{(read.Rejected.Count > 0 ? $" ({read.Rejected.Count:N0} rejected)" : "")}");
            }

            try
            {
                table = report.Run(read.Customers, Note);
            }
            catch (PathException ex)
            {
                throw new CliException($"{file}: {ex.Message}");
            }

            RowWriter.Write(Console.Out, format, table.Columns, table.Rows);
            return 0;
        });
        return command;
    }

    private static CustomerSummaryFileResult Read(string file)
    {
        if (!File.Exists(file))
        {
            throw CliException.Usage(Directory.Exists(file) ? $"--summary {file} is a folder; expected a CSV file of customer summaries" : $"--summary {file}: no such file");
        }

        try
        {
            using var reader = new StreamReader(file);
            return CustomerSummaryFile.Read(reader);
        }
        catch (LifetimeException ex)
        {
            throw new CliException($"{file}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--summary {file}: {ex.Message}");
        }
    }

    private static void ReportErrors(string file, CustomerSummaryFileResult read)
    {
        foreach (var error in read.Rejected.Take(ErrorsShown))
        {
            Console.Error.WriteLine($"{file}: {error}");
        }

        if (read.Rejected.Count > ErrorsShown)
        {
            Console.Error.WriteLine($"{file}: … and {read.Rejected.Count - ErrorsShown:N0} more rejected rows");
        }

        if (read.Rejected.Count > 0)
        {
            Console.Error.WriteLine($"{file}: {read.Rejected.Count:N0} rows rejected, {read.Customers.Count:N0} used");
        }
    }
}
