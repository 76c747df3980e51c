using System.CommandLine;
using Pretzel.Analytics.Aarrr;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel aarrr</c>: acquisition, activation, retention, revenue and referral per calendar period (docs/analyses/aarrr.md).</summary>
internal static class AarrrCommand
{
    internal static Command Create()
    {
        var period = new Option<string?>("--period") { Description = "Period length: day, week or month (default month)", HelpName = "day|week|month" };
        var to = new Option<string?>("--to") { Description = "End of the analysis (default: the last event)", HelpName = "TIME" };
        var timeZone = new Option<string?>("--time-zone") { Description = "Where days, weeks and months start (default: the project's time_zone, else UTC)", HelpName = "IANA" };
        var command = new Command("aarrr", "Pirate metrics per period: people acquired, activated (and the rate), retained, revenue and paying people, referrers and referred people; the rules are the project file's aarrr: section")
        {
            period, to, timeZone,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            var rules = settings.Aarrr;
            var report = new AarrrReport
            {
                Period = parse.GetValue(period),
                To = parse.GetValue(to),
                TimeZone = parse.GetValue(timeZone) ?? settings.TimeZone,
                AcquisitionEvents = Join(rules.AcquisitionEvents),
                ActivationEvents = Join(rules.ActivationEvents),
                RetentionEvents = Join(rules.RetentionEvents),
                RevenueEvents = Join(rules.RevenueEvents),
                ReferralEvents = Join(rules.ReferralEvents),
                ReferredChannels = Join(rules.ReferredChannels),
            };
            return await ReportCommand.RunAsync(parse, report, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string? Join(IReadOnlyList<string>? names) => names is null ? null : string.Join(',', names);
}
