using System.CommandLine;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel attribution</c>: which touches earned the conversions, by every model (see docs/analyses/attribution.md).</summary>
internal static class AttributionCommand
{
    private const int ErrorsShown = 20;

    internal static Command Create()
    {
        var paths = new Option<string?>("--paths") { Description = "Read the path table from FILE (ChannelAttribution format: path, total_conversions[, total_conversion_value][, total_null]; separator ; , or tab detected) instead of the store", HelpName = "FILE" };
        var pathSep = new Option<string?>("--path-sep") { Description = "With --paths: the separator between touches (default >)", HelpName = "S" };
        var touch = new Option<string?>("--touch") { Description = "What a touchpoint is: channel (default), event, channel:event or campaign", HelpName = "KIND" };
        var conversion = new Option<string?>("--conversion") { Description = "Conversion events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };
        var lookback = new Option<string?>("--lookback") { Description = "Touches older than this before a journey's end are left out (default 90d)", HelpName = "DURATION" };
        var collapse = new Option<bool>("--collapse") { Description = "Count repeated consecutive touches once" };
        var maxLength = new Option<string?>("--max-length") { Description = "Keep only the last N touches of each path", HelpName = "N" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default now)", HelpName = "TIME" };
        var models = new Option<string?>("--models")
        {
            Description = $"Models, comma-separated: {string.Join(", ", AttributionModels.All)} (default: all the input allows; time_decay needs the store)",
            HelpName = "LIST",
        };
        var markovOrder = new Option<int?>("--markov-order") { Description = "Markov order 1..4: a state is the last K touches (default 1)", HelpName = "K" };
        var halfLife = new Option<string?>("--half-life") { Description = "Time decay: a touch this long before the conversion counts half (default 7d)", HelpName = "DURATION" };
        var positionWeights = new Option<string?>("--position-weights") { Description = "Position based: weights of the first, middle and last touches (default 40,20,40)", HelpName = "A,B,C" };
        var compare = new Option<bool>("--compare") { Description = "One row per channel with each model's conversions side by side" };
        var command = new Command("attribution", "Attribution: the conversions and value each channel earned, by first/last touch, last non-direct, linear, time decay, position based, exact Markov removal effects and Shapley")
        {
            paths, pathSep, touch, conversion, lookback, collapse, maxLength, to, models, markovOrder, halfLife, positionWeights, compare,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new AttributionReport
            {
                Paths = new PathArguments
                {
                    Touch = parse.GetValue(touch),
                    Conversion = parse.GetValue(conversion),
                    Lookback = parse.GetValue(lookback),
                    Collapse = parse.GetValue(collapse),
                    MaxLength = parse.GetValue(maxLength),
                    To = parse.GetValue(to),
                },
                Models = parse.GetValue(models),
                MarkovOrder = parse.GetValue(markovOrder),
                HalfLife = parse.GetValue(halfLife),
                PositionWeights = parse.GetValue(positionWeights),
                Compare = parse.GetValue(compare),
            };
            var format = CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format));
            var file = parse.GetValue(paths);
            var now = DateTime.UtcNow;
            if (file is null)
            {
                if (parse.GetValue(pathSep) is not null)
                {
                    throw CliException.Usage("--path-sep applies to a path table file: give --paths FILE too");
                }

                try
                {
                    report.Validate(now);
                }
                catch (PathException ex)
                {
                    throw CliException.Usage(ex.Message);
                }

                using var store = StoreSelection.Open(parse, readOnly: true);
                var table = await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
                RowWriter.Write(Console.Out, format, table.Columns, table.Rows);
                return 0;
            }

            var storeOptions = new (Option Option, bool Given)[]
            {
                (touch, parse.GetValue(touch) is not null), (conversion, parse.GetValue(conversion) is not null), (lookback, parse.GetValue(lookback) is not null),
                (collapse, parse.GetValue(collapse)), (maxLength, parse.GetValue(maxLength) is not null), (to, parse.GetValue(to) is not null),
            };
            if (storeOptions.FirstOrDefault(o => o.Given).Option is { } given)
            {
                throw CliException.Usage($"{given.Name} cuts journeys from the store; a path table file (--paths) is already cut");
            }

            try
            {
                report.Options(withTimes: false);
            }
            catch (PathException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            if (!File.Exists(file))
            {
                throw CliException.Usage(Directory.Exists(file) ? $"--paths {file} is a folder; expected a path table file" : $"--paths {file}: no such file");
            }

            PathFileResult read;
            try
            {
                read = AttributionPathFile.Read(file, parse.GetValue(pathSep) ?? ">");
            }
            catch (PathException ex)
            {
                throw new CliException(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--paths {file}: {ex.Message}");
            }

            ReportErrors(file, read);
            if (read.Accepted == 0)
            {
                throw new CliException($"{file}: no usable rows{(read.Rejected > 0 ? $" ({read.Rejected:N0} rejected)" : "")}");
            }

            var result = report.Run(read.Table);
            RowWriter.Write(Console.Out, format, result.Columns, result.Rows);
            return 0;
        });
        return command;
    }

    private static void ReportErrors(string file, PathFileResult read)
    {
        foreach (var error in read.Errors.Take(ErrorsShown))
        {
            Console.Error.WriteLine($"{file}: {error}");
        }

        if (read.Rejected > ErrorsShown)
        {
            Console.Error.WriteLine($"{file}: … and {read.Rejected - ErrorsShown:N0} more rejected rows");
        }

        if (read.Rejected > 0)
        {
            Console.Error.WriteLine($"{file}: {read.Rejected:N0} rows rejected, {read.Accepted:N0} used");
        }
    }
}
