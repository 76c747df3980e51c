using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel retention</c>: cohorts by first event or first purchase, and what became of them (docs/analyses/retention.md).</summary>
internal static class RetentionCommand
{
    internal static Command Create()
    {
        var cohort = new Option<string?>("--cohort") { Description = "Cohort and period length: day, week or month (default month)", HelpName = "day|week|month" };
        var startEvent = new Option<string?>("--start-event") { Description = "Events that put a person in a cohort, comma-separated (default: any event, i.e. first seen)", HelpName = "EVENTS" };
        var returnEvent = new Option<string?>("--return-event") { Description = "Events that count as coming back, comma-separated (default: any event)", HelpName = "EVENTS" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default: the last event)", HelpName = "TIME" };
        var by = new Option<string?>("--by") { Description = "first_touch_channel: cohorts per acquisition channel (LTV by channel); segment:rfm, segment:abc_xyz or segment:NAME (segments: in the project file): per customer segment", HelpName = "first_touch_channel|segment:rfm|segment:abc_xyz|segment:NAME" };
        var timeZone = new Option<string?>("--time-zone") { Description = "Where days, weeks and months start (default: the project's time_zone, else UTC)", HelpName = "IANA" };
        var summary = new Option<bool>("--summary") { Description = "Per cohort: repeat rate, median days between returns, churned" };
        var churnAfter = new Option<string?>("--churn-after") { Description = "With --summary: churned = no event for this long before the end (default 90d)", HelpName = "DURATION" };
        var fit = new Option<string?>("--fit") { Description = "sbg: fit the shifted-beta-geometric model to the cohorts' survival and project it", HelpName = "sbg" };
        var horizon = new Option<int?>("--horizon") { Description = "With --fit: periods to project beyond the observed ones (default 12)", HelpName = "N" };
        var survival = new Option<string?>("--survival") { Description = "With --fit sbg: fit a survival table FILE instead of the store (CSV: period, then one column per cohort of people active at the start of each period)", HelpName = "FILE" };
        var cohortSize = new Option<int?>("--cohort-size") { Description = "With --survival: the table holds percentages of cohorts of N people", HelpName = "N" };
        var fitPeriods = new Option<int?>("--fit-periods") { Description = "With --survival: fit periods 0..K only; the rest of the table is a holdout", HelpName = "K" };
        var command = new Command("retention", "Retention cohorts: who came back in each later period, revenue and cumulative revenue per person, repeat rate, churn, and the sBG projection")
        {
            cohort, startEvent, returnEvent, to, by, timeZone, summary, churnAfter, fit, horizon, survival, cohortSize, fitPeriods,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(survival) is { } file)
            {
                return SurvivalFit(parse, file, parse.GetValue(fit), parse.GetValue(cohortSize), parse.GetValue(fitPeriods), parse.GetValue(horizon));
            }

            if (parse.GetValue(cohortSize) is not null || parse.GetValue(fitPeriods) is not null)
            {
                throw CliException.Usage("--cohort-size and --fit-periods go with --survival FILE");
            }

            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            var report = new RetentionReport
            {
                Cohort = parse.GetValue(cohort),
                StartEvent = parse.GetValue(startEvent),
                ReturnEvent = parse.GetValue(returnEvent),
                To = parse.GetValue(to),
                By = parse.GetValue(by),
                TimeZone = parse.GetValue(timeZone) ?? settings.TimeZone,
                Summary = parse.GetValue(summary),
                ChurnAfter = parse.GetValue(churnAfter),
                Fit = parse.GetValue(fit),
                Horizon = parse.GetValue(horizon),
            };
            if (Pretzel.Analytics.Segments.SegmentedReport.Asks(report.By) && report.By is not (RetentionReport.BySegmentRfm or RetentionReport.BySegmentAbcXyz))
            {
                // A custom segment of the project file: the retention of its people, then of everyone else.
                return await ReportCommand.RunAsync(parse, new Pretzel.Analytics.Segments.SegmentedReport(report with { By = null }, report.By!, settings.Segments), cancellationToken).ConfigureAwait(false);
            }

            return await ReportCommand.RunAsync(parse, report, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary><c>--fit sbg --survival FILE</c>: the sBG fit of each cohort of a survival table, with the table's later periods beside the projection.</summary>
    private static int SurvivalFit(ParseResult parse, string file, string? fit, int? size, int? fitPeriods, int? horizon)
    {
        if (fit != "sbg")
        {
            throw CliException.Usage("--survival FILE goes with --fit sbg");
        }

        if (size is < 1 || fitPeriods is < 1 || horizon is < 1)
        {
            throw CliException.Usage("--cohort-size, --fit-periods and --horizon take a positive number");
        }

        if (!File.Exists(file))
        {
            throw CliException.Usage($"--survival {file}: no such file");
        }

        ReportTable table;
        try
        {
            using var reader = new StreamReader(file);
            table = SurvivalTableFile.Fit(SurvivalTableFile.Read(reader, file, size), fitPeriods, horizon);
        }
        catch (PathException ex)
        {
            throw new CliException(ex.Message);
        }

        RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), table.Columns, table.Rows);
        return 0;
    }
}
