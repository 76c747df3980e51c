using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Segments;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel segments</c>: RFM segments, ABC/XYZ cells and custom segments from SQL conditions (docs/analyses/segments.md).</summary>
internal static class SegmentsCommand
{
    internal static Command Create()
    {
        var kind = new Option<string?>("--kind") { Description = "rfm (default): the eleven named RFM segments; abc_xyz: the nine ABC/XYZ cells", HelpName = "rfm|abc_xyz" };
        var people = new Option<bool>("--people") { Description = "One row per person (scores and segment) instead of the summary" };
        var segment = new Option<string[]>("--segment")
        {
            Description = "A custom segment: the people with an event matching an SQL condition over the events table, e.g. --segment \"big=revenue > 1000\" (repeatable)",
            HelpName = "NAME=SQL",
        };
        var purchaseEvent = new Option<string?>("--purchase-event") { Description = "Purchase events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };
        var refundEvent = new Option<string?>("--refund-event") { Description = "Refund events, subtracted from monetary value, comma-separated, or none (default refund)", HelpName = "EVENTS|none" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default: the last event)", HelpName = "TIME" };
        var abc = new Option<string?>("--abc") { Description = "ABC thresholds: cumulative revenue shares in percent closing A and B (default 80,95)", HelpName = "A,B" };
        var xyz = new Option<string?>("--xyz") { Description = "XYZ thresholds: largest coefficients of variation of per-period revenue for X and Y (default 0.5,1.0)", HelpName = "X,Y" };
        var period = new Option<string?>("--period") { Description = "XYZ period: day, week or month (default month)", HelpName = "day|week|month" };
        var timeZone = new Option<string?>("--time-zone") { Description = "Where XYZ periods start (default: the project's time_zone, else UTC)", HelpName = "IANA" };
        var command = new Command("segments", "Customer segments: RFM scores and named segments, ABC by revenue share × XYZ by demand variability, custom segments from SQL conditions")
        {
            kind, people, segment, purchaseEvent, refundEvent, to, abc, xyz, period, timeZone,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            var report = new SegmentsReport
            {
                Kind = parse.GetValue(kind),
                People = parse.GetValue(people),
                Segment = parse.GetValue(segment),
                PurchaseEvent = parse.GetValue(purchaseEvent),
                RefundEvent = parse.GetValue(refundEvent),
                To = parse.GetValue(to),
                Abc = parse.GetValue(abc),
                Xyz = parse.GetValue(xyz),
                Period = parse.GetValue(period),
                TimeZone = parse.GetValue(timeZone) ?? settings.TimeZone,
            };
            return await ReportCommand.RunAsync(parse, report, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
