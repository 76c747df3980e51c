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
        var command = new Command("retention", "Retention cohorts: who came back in each later period, revenue and cumulative revenue per person, repeat rate, churn, and the sBG projection")
        {
            cohort, startEvent, returnEvent, to, by, timeZone, summary, churnAfter, fit, horizon,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
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
}
