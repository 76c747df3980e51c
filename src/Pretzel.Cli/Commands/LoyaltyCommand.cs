using System.CommandLine;
using Pretzel.Analytics.Loyalty;
using Pretzel.Analytics.Paths;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel loyalty</c>: the loyalty pyramid at a date, or the movements between two dates (docs/analyses/loyalty.md).</summary>
internal static class LoyaltyCommand
{
    internal static Command Create()
    {
        var to = new Option<string?>("--to") { Description = "Date of the pyramid (default: the last event)", HelpName = "TIME" };
        var from = new Option<string?>("--from") { Description = "An earlier date: show who moved from each level then to each level at --to", HelpName = "TIME" };
        var purchase = new Option<string?>("--purchase") { Description = "Purchase events (default purchase,order_completed)", HelpName = "EVENTS" };
        var advocacy = new Option<string?>("--advocacy-events") { Description = "Events that make an advocate (default referral_sent,review_left)", HelpName = "EVENTS" };
        var refusal = new Option<string?>("--refusal-events") { Description = "Events of a prospect saying no (default refused)", HelpName = "EVENTS" };
        var churn = new Option<string?>("--churn-events") { Description = "Events that end a customer's life (default churned,subscription_cancelled)", HelpName = "EVENTS" };
        var repeat = new Option<int?>("--repeat-purchases") { Description = "Purchases that make a repeat customer (default 2)", HelpName = "N" };
        var loyal = new Option<int?>("--loyal-purchases") { Description = "Purchases that make a loyal customer (default 3)", HelpName = "N" };
        var churnAfter = new Option<string?>("--churn-after") { Description = "A customer with no event for this long is churned (default 180d)", HelpName = "DURATION" };
        var command = new Command("loyalty", "The loyalty pyramid: prospects, first-time, repeat and loyal customers, advocates, refusals and churn; --from for the movements between two dates")
        {
            to, from, purchase, advocacy, refusal, churn, repeat, loyal, churnAfter,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new LoyaltyReport
            {
                To = parse.GetValue(to),
                From = parse.GetValue(from),
                Purchase = parse.GetValue(purchase),
                AdvocacyEvents = parse.GetValue(advocacy),
                RefusalEvents = parse.GetValue(refusal),
                ChurnEvents = parse.GetValue(churn),
                RepeatPurchases = parse.GetValue(repeat),
                LoyalPurchases = parse.GetValue(loyal),
                ChurnAfter = parse.GetValue(churnAfter),
            };
            return await ReportCommand.RunAsync(parse, report, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
