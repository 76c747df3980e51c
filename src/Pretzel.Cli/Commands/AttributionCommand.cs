using System.CommandLine;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Segments;
using Pretzel.Cli.Output;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Demo;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel attribution</c>: which touches earned the conversions, by every model (see docs/analyses/attribution.md).</summary>
internal static class AttributionCommand
{
    private const int ErrorsShown = 20;

    internal static Command Create()
    {
        var paths = new Option<string?>("--paths") { Description = "Read the path table from FILE (ChannelAttribution format: path, total_conversions[, total_conversion_value][, total_null]; separator ; , or tab detected) instead of the store", HelpName = "FILE" };
        var pathSep = new Option<string?>("--path-sep") { Description = "With --paths: the separator between touches (default >)", HelpName = "S" };
        var journeys = new JourneyOptions("channel");
        var models = new Option<string?>("--models")
        {
            Description = $"Models, comma-separated: {string.Join(", ", AttributionModels.All)} (default: all the input allows; time_decay needs the store)",
            HelpName = "LIST",
        };
        var markovOrder = new Option<int?>("--markov-order") { Description = "Markov order 1..4: a state is the last K touches (default 1)", HelpName = "K" };
        var halfLife = new Option<string?>("--half-life") { Description = "Time decay: a touch this long before the conversion counts half (default 7d)", HelpName = "DURATION" };
        var positionWeights = new Option<string?>("--position-weights") { Description = "Position based: weights of the first, middle and last touches (default 40,20,40)", HelpName = "A,B,C" };
        var compare = new Option<bool>("--compare") { Description = "One row per channel with each model's conversions side by side" };
        var by = new Option<string?>("--by") { Description = "segment:rfm, segment:abc_xyz or segment:NAME (segments: in the project file): the rows once per customer segment", HelpName = "segment:rfm|segment:abc_xyz|segment:NAME" };
        var evaluate = new Option<bool>("--evaluate") { Description = "On the demo data: each model's error against the channel effects the generator planted (docs/analyses/attribution.md)" };
        var command = new Command("attribution", "Attribution: the conversions and value each channel earned, by first/last touch, last non-direct, linear, time decay, position based, exact Markov removal effects and Shapley")
        {
            paths, pathSep, models, markovOrder, halfLife, positionWeights, compare, evaluate, by,
        };
        foreach (var option in journeys.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new AttributionReport
            {
                Paths = journeys.Arguments(parse),
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

                if (parse.GetValue(by) is { } segments)
                {
                    if (parse.GetValue(evaluate))
                    {
                        throw CliException.Usage("--evaluate scores the models over everyone; leave out --by");
                    }

                    return await ReportCommand.RunAsync(parse, new SegmentedReport(report, segments, CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project)).Segments), cancellationToken).ConfigureAwait(false);
                }

                using var store = StoreSelection.Open(parse, readOnly: true);
                if (parse.GetValue(evaluate))
                {
                    if (report.Compare)
                    {
                        throw CliException.Usage("--evaluate prints one row per model and planted channel; leave out --compare");
                    }

                    var evaluation = await EvaluateAsync(store, report, now, cancellationToken).ConfigureAwait(false);
                    RowWriter.Write(Console.Out, format, EvaluationRow.Columns, [.. evaluation.Select(r => r.Values())]);
                    return 0;
                }

                var table = await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
                RowWriter.Write(Console.Out, format, table.Columns, table.Rows);
                return 0;
            }

            if (parse.GetValue(by) is not null)
            {
                throw CliException.Usage("--by segment:… segments the people of the store; a path table file has no people");
            }

            if (parse.GetValue(evaluate))
            {
                throw CliException.Usage("--evaluate compares models with the effects the demo generator planted in the store; it does not apply to --paths");
            }

            if (journeys.Given(parse).FirstOrDefault() is { } given)
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

    /// <summary>
    /// <c>--evaluate</c>: the models' rows over the store, scored against <see cref="DemoChannelEffects"/>. The store
    /// must hold demo data only (every message id from the generator), as the planted effects mean nothing elsewhere.
    /// </summary>
    private static async Task<IReadOnlyList<EvaluationRow>> EvaluateAsync(IEventStore store, AttributionReport report, DateTime now, CancellationToken cancellationToken)
    {
        var (rows, columns, paths) = await report.RowsAsync(store, now, cancellationToken).ConfigureAwait(false);
        var demo = await store.MatchEventsAsync(columns, $"message_id LIKE '{DemoChannelEffects.MessageIdPrefix}%'", cancellationToken).ConfigureAwait(false);
        var foreign = columns.Count - demo.Cast<bool>().Count(b => b);
        if (columns.Count == 0 || foreign > 0)
        {
            throw new CliException(columns.Count == 0
                ? "--evaluate: the store is empty; it scores models against the effects `pretzel demo` plants, so load the demo first"
                : $"--evaluate: {foreign:N0} of {columns.Count:N0} events were not written by `pretzel demo`; the planted effects it scores against exist only in demo data");
        }

        var planted = DemoChannelEffects.From(columns).Select(e => new PlantedEffect(e.Channel, e.PersonShare, e.Rule)).ToList();
        foreach (var effect in planted)
        {
            Console.Error.WriteLine($"planted {effect.Channel}: {effect.Rule}");
        }

        return AttributionEvaluation.Evaluate(rows, planted, AttributionEvaluation.ConversionsPerPerson(columns, paths));
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
