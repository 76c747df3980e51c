using System.CommandLine;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Cli.Output;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel predict</c>: will an open journey end in a sale, and which next touch helps most (docs/analyses/prediction.md).</summary>
internal static class PredictCommand
{
    internal static Command Create()
    {
        var evaluate = new Option<bool>("--evaluate") { Description = "AUC, log loss, Brier score and calibration error of the supervised model, the Markov chain and the stage baseline on the time-split holdout (the default view)" };
        var calibration = new Option<bool>("--calibration") { Description = "The calibration table of the three models on the holdout: 10 bins of predicted probability, predicted vs observed" };
        var open = new Option<bool>("--open") { Description = "Score every open prospect: person, probability, model, current_stage, last_touch, days_since_last_touch, next_best_touch, uplift" };
        var nextTouches = new Option<bool>("--next-touches") { Description = "Across all open prospects: each touch's total expected gain and for how many it is the next best touch, by model" };
        var train = new Option<bool>("--train") { Description = "Train on every journey whose outcome is known and save the model as the next version (with its training window and holdout metrics)" };
        var touch = new Option<string?>("--touch") { Description = "What a touchpoint is: channel, event, channel:event, campaign or channel:campaign (default channel)", HelpName = "KIND" };
        var conversion = new Option<string?>("--conversion") { Description = "Conversion events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };
        var lookback = new Option<string?>("--lookback") { Description = "A journey is open while its last touch is at most this old (default 90d)", HelpName = "DURATION" };
        var horizon = new Option<string?>("--horizon") { Description = "Predict a conversion within this long (default 30d)", HelpName = "DURATION" };
        var cutoff = new Option<string?>("--cutoff") { Description = "Time split: train on journeys before, evaluate on journeys started from it (default: the last quarter of the period with an observed horizon is the holdout)", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "Moment of prediction and end of the data (default: the last event)", HelpName = "TIME" };
        var order = new Option<int?>("--order") { Description = "Markov order 1..4 of the chain model (default 2)", HelpName = "K" };
        var stages = new Option<string?>("--stages") { Description = "Stage model for the stage reached: aida, aidas, aarrr, four_step, journey (default) or a YAML file", HelpName = "NAME|FILE" };
        var model = new Option<string?>("--model") { Description = "With --open: whose probability and next best touch: lightgbm (default), markov or baseline", HelpName = "lightgbm|markov|baseline" };
        var touches = new Option<string?>("--touches") { Description = "Touches next-best-touch may suggest, comma-separated (default: those a business can send or buy: every touch the model knows except the channels direct, organic_search, organic_social, organic_video, organic_shopping, referral, affiliates, word_of_mouth and unassigned, and except conversion events)", HelpName = "TOUCHES" };
        var top = new Option<int?>("--top") { Description = "With --open: the N most probable prospects only", HelpName = "N" };
        var models = new Option<string?>("--models") { Description = "Folder of saved models (default: beside the DuckDB store, <db>.models; pretzel.models for ClickHouse)", HelpName = "DIR" };
        var version = new Option<int?>("--version") { Description = "With --open or --next-touches: the saved model version to use (default: the newest)", HelpName = "N" };
        var command = new Command("predict", "Prediction: the probability that each open journey converts within a horizon, by a supervised model and the Markov chain, with the next best touch")
        {
            evaluate, calibration, open, nextTouches, train, touch, conversion, lookback, horizon, cutoff, to, order, stages, model, touches, top, models, version,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var views = new[] { parse.GetValue(evaluate), parse.GetValue(calibration), parse.GetValue(open), parse.GetValue(nextTouches), parse.GetValue(train) };
            if (views.Count(v => v) > 1)
            {
                throw CliException.Usage("choose one of --evaluate, --calibration, --open, --next-touches and --train");
            }

            if ((parse.GetValue(model) is not null || parse.GetValue(top) is not null) && !parse.GetValue(open))
            {
                throw CliException.Usage("--model and --top go with --open");
            }

            var folder = parse.GetValue(models) ?? DefaultFolder(parse);
            var report = new PredictReport
            {
                View = views[1] ? "calibration" : views[2] ? "open" : views[3] ? "next_touches" : "evaluate",
                Touch = parse.GetValue(touch),
                Conversion = parse.GetValue(conversion),
                Lookback = parse.GetValue(lookback),
                Horizon = parse.GetValue(horizon),
                Cutoff = parse.GetValue(cutoff),
                To = parse.GetValue(to),
                Order = parse.GetValue(order),
                Stages = parse.GetValue(stages),
                Model = parse.GetValue(model),
                Touches = parse.GetValue(touches),
                Top = parse.GetValue(top),
                ModelFolder = folder,
                Version = parse.GetValue(version),
                Notice = message => Console.Error.WriteLine($"pretzel: note: {message}"),
            };
            // The data or a saved model, not the options, may be at fault at run time (e.g. a model for another touch definition).
            return await ReportCommand.RunAsync(parse, report, cancellationToken, (store, now) =>
                ProgressDisplay.RunAsync(views[4] ? "Training" : "Predicting", 100, progress =>
                {
                    var run = report with { Progress = progress };
                    return views[4] ? run.TrainAsync(store, now, cancellationToken) : run.RunAsync(store, now, cancellationToken);
                })).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Beside the DuckDB store (<c>&lt;db&gt;.models</c>); <c>pretzel.models</c> in the working folder for a ClickHouse store.</summary>
    private static string DefaultFolder(ParseResult parse)
    {
        var dbGiven = parse.GetResult(CommonOptions.Db) is { Implicit: false };
        var url = parse.GetValue(StoreSelection.Store) ?? (dbGiven ? null : Environment.GetEnvironmentVariable("PRETZEL_STORE"));
        if (string.IsNullOrWhiteSpace(url))
        {
            return parse.GetValue(CommonOptions.Db)! + ".models";
        }

        return url.StartsWith("duckdb:", StringComparison.OrdinalIgnoreCase) ? url["duckdb:".Length..] + ".models" : "pretzel.models";
    }
}
