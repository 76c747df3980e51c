using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// What <c>pretzel predict</c> (and <c>/api/v1/predict</c>) answers, from text options: the time-split evaluation of the
/// three models (<c>evaluate</c>, <c>calibration</c>), the open prospects scored (<c>open</c>), or the touches with the
/// largest expected gain over all prospects (<c>next_touches</c>). See docs/analyses/prediction.md.
/// </summary>
public sealed record PredictReport : IReport
{
    /// <summary><c>evaluate</c> (default), <c>calibration</c>, <c>open</c> or <c>next_touches</c>.</summary>
    public string? View { get; init; }

    /// <summary>What a touch is (default <c>channel</c>).</summary>
    public string? Touch { get; init; }

    /// <summary>Comma-separated conversion events (default purchase, order_completed).</summary>
    public string? Conversion { get; init; }

    /// <summary>A journey is open while its last touch is at most this old (default 90d).</summary>
    public string? Lookback { get; init; }

    /// <summary>Predict a conversion within this long (default 30d).</summary>
    public string? Horizon { get; init; }

    /// <summary>The time split (date); default: the last quarter of the labelled period is the holdout.</summary>
    public string? Cutoff { get; init; }

    /// <summary>Moment of prediction and end of the data (default: the last event).</summary>
    public string? To { get; init; }

    /// <summary>Markov order 1..4 (default 2).</summary>
    public int? Order { get; init; }

    /// <summary>Stage model for the stage reached: a built-in name or a YAML file (default <c>journey</c>).</summary>
    public string? Stages { get; init; }

    /// <summary>With <c>open</c>: whose probability and next best touch (<c>lightgbm</c>, default; <c>markov</c>; <c>baseline</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Comma-separated touches next-best-touch may suggest (default: those a business can send or buy, see <see cref="CandidateTouches"/>).</summary>
    public string? Touches { get; init; }

    /// <summary>With <c>open</c>: only the most probable N prospects.</summary>
    public int? Top { get; init; }

    /// <summary>Where saved models are (null: always train on the fly).</summary>
    public string? ModelFolder { get; init; }

    /// <summary>A saved version to use (default: the newest).</summary>
    public int? Version { get; init; }

    /// <summary>
    /// Keeps models trained on the fly, evaluations, stage matches and saved models in memory between runs over the same
    /// data (null: none, everything is worked out on every run). A long-running process holds one per process and passes
    /// it to every report; see <see cref="PredictionModelCache"/>.
    /// </summary>
    public PredictionModelCache? Cache { get; init; }

    /// <summary>Told what was done besides the rows (e.g. a model trained on the fly); the CLI prints it on stderr.</summary>
    public Action<string>? Notice { get; init; }

    /// <summary>Reports progress 0..100 through long work.</summary>
    public IProgress<double>? Progress { get; init; }

    public static IReadOnlyList<string> Views { get; } = ["evaluate", "calibration", "open", "next_touches"];

    /// <summary>Says that uplifts are correlational.</summary>
    public const string CorrelationalNote =
        "uplift is a correlational estimate (what the model associates with one more such touch now), not the effect a controlled experiment would measure";

    /// <summary>Checks the options without reading anything; throws <see cref="PathException"/> naming the bad one.</summary>
    public PredictionOptions Validate(DateTime now)
    {
        if (!Views.Contains(View ?? "evaluate"))
        {
            throw new PathException($"view {View}: expected one of {string.Join(", ", Views)}");
        }

        if (Model is not null && !PredictionModels.All.Contains(Model))
        {
            throw new PathException($"--model {Model}: expected one of {string.Join(", ", PredictionModels.All)}");
        }

        if (Top is < 1)
        {
            throw new PathException($"--top {Top}: must be at least 1");
        }

        if (Version is < 1)
        {
            throw new PathException($"--version {Version}: must be at least 1");
        }

        StageModel stages;
        try
        {
            stages = StageModelFile.Resolve(Stages ?? "journey");
        }
        catch (StageModelException ex)
        {
            throw new PathException(ex.Message.Replace("--model ", "--stages ", StringComparison.Ordinal));
        }

        try
        {
            var options = new PredictionOptions
            {
                Touch = Touch is null ? TouchKind.Channel : PathOptions.ParseTouch(Touch),
                Lookback = Lookback is null ? TimeSpan.FromDays(90) : FunnelArguments.ParseDuration(Lookback, "--lookback"),
                Horizon = Horizon is null ? TimeSpan.FromDays(30) : FunnelArguments.ParseDuration(Horizon, "--horizon"),
                Order = Order ?? 2,
                Stages = stages,
                To = To is null ? now : ReportArguments.Time(To, "--to"),
                Cutoff = Cutoff is null ? null : ReportArguments.Time(Cutoff, "--cutoff"),
                Candidates = ReportArguments.Names(Touches),
            };
            if (Conversion is not null)
            {
                options = options with { ConversionEvents = [.. Conversion.Split(',', StringSplitOptions.TrimEntries)] };
            }

            options.Validate();
            return options;
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }
    }

    public void Check(DateTime now) => Validate(now);

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        var (columns, stages, options) = await ReadAsync(store, now, cancellationToken).ConfigureAwait(false);
        var view = View ?? "evaluate";
        if (view is "evaluate" or "calibration")
        {
            var evaluation = Cache is null
                ? PredictionTrainer.Evaluate(columns, stages, options, Progress)
                : Cache.Evaluation(columns, options.ModelKey + "|cutoff=" + options.Cutoff?.Ticks, () => PredictionTrainer.Evaluate(columns, stages, options, Progress), out _);
            Notice?.Invoke($"trained on {evaluation.Metrics[0].TrainSamples:N0} open-journey moments before {evaluation.Window.Cutoff:yyyy-MM-dd}; "
                + $"holdout: journeys started from then, looked at weekly until {evaluation.Window.LabelledUntil:yyyy-MM-dd} (horizon {options.Horizon.TotalDays:0.##} days observed)");
            return view == "evaluate"
                ? new ReportTable(EvaluationRow.Columns, [.. evaluation.Metrics.Select(r => r.Values())])
                : new ReportTable(CalibrationRow.Columns, [.. evaluation.Calibration.Select(r => r.Values())]);
        }

        var model = ResolveModel(columns, stages, options, now);
        var scorer = new ProspectScorer(model, options.Candidates);
        var scores = scorer.Score(columns, stages, options);
        Progress?.Report(100);
        Notice?.Invoke(CorrelationalNote);
        return view == "open" ? Prospects(columns, stages, options, model, scorer, scores) : NextTouches(scorer, scores);
    }

    /// <summary>Evaluates, trains on every labelled journey and saves the model as the next version in <see cref="ModelFolder"/>.</summary>
    public async Task<ReportTable> TrainAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        if (ModelFolder is null)
        {
            throw new InvalidOperationException("a model folder is needed to save a model");
        }

        var (columns, stages, options) = await ReadAsync(store, now, cancellationToken).ConfigureAwait(false);
        var evaluation = PredictionTrainer.Evaluate(columns, stages, options, new Progress<double>(p => Progress?.Report(p / 2)));
        var model = PredictionTrainer.Fit(columns, stages, options, evaluation, now);
        Progress?.Report(100);
        var (saved, path) = PredictionModelFiles.Save(ModelFolder, model);
        double? Auc(string name) => EvaluationRow.R(saved.Metrics.First(m => m.Model == name).Auc);
        return new ReportTable(TrainRow.Columns,
        [
            [saved.Version, path, Day(saved.TrainedFrom), Day(saved.TrainedTo), saved.TrainSamples, saved.TrainConversions, Day(evaluation.Window.Cutoff),
                Auc(PredictionModels.LightGbm), Auc(PredictionModels.Markov), Auc(PredictionModels.Baseline), saved.Fingerprint],
        ]);
    }

    private async Task<(EventColumns Columns, JourneyStages Stages, PredictionOptions Options)> ReadAsync(IEventStore store, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var options = Validate(now);
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        if (columns.Count == 0)
        {
            throw new PathException("the store has no events to predict from");
        }

        if (To is null)
        {
            // The moment of prediction defaults to the data's end, not the clock: a store loaded yesterday still has prospects.
            options = options with { To = EventTime.FromMicros(columns.Micros.Max()) };
            options.Validate();
        }

        var stages = Cache is null
            ? await JourneyStages.MatchAsync(columns, options.Stages, store, cancellationToken).ConfigureAwait(false)
            : await Cache.StagesAsync(columns, options.StageRules, () => JourneyStages.MatchAsync(columns, options.Stages, store, cancellationToken)).ConfigureAwait(false);
        Progress?.Report(5);
        return (columns, stages, options);
    }

    private PredictionModel ResolveModel(EventColumns columns, JourneyStages stages, PredictionOptions options, DateTime now)
    {
        if (ModelFolder is not null && LoadSaved(ModelFolder) is { } saved)
        {
            saved.CheckFits(options, $"v{saved.Version} ({Path.Combine(ModelFolder, $"predict-v{saved.Version}.json")})");
            Notice?.Invoke($"scoring with saved model v{saved.Version}, trained on moments {Day(saved.TrainedFrom)} to {Day(saved.TrainedTo)}");
            return saved;
        }

        if (Version is { } v)
        {
            throw new PathException($"--version {v}: no such saved model in {ModelFolder ?? "(no model folder)"}");
        }

        var where = ModelFolder is null ? "" : " in " + ModelFolder;
        if (Cache is null)
        {
            Notice?.Invoke($"no saved model{where}: trained one on the fly (save one with `pretzel predict --train`)");
            return PredictionTrainer.Fit(columns, stages, options, null, now);
        }

        var model = Cache.Model(columns, options.ModelKey, () => PredictionTrainer.Fit(columns, stages, options, null, now), out var reused);
        Notice?.Invoke(reused
            ? $"no saved model{where}: scoring with the model trained on the fly for this data earlier (kept in memory)"
            : $"no saved model{where}: trained one on the fly and kept it in memory for this data (save one with `pretzel predict --train`)");
        return model;
    }

    /// <summary>The saved model asked for (the newest without <see cref="Version"/>), through the cache when there is one.</summary>
    private PredictionModel? LoadSaved(string folder)
    {
        if (Cache is null)
        {
            return PredictionModelFiles.Load(folder, Version);
        }

        var versions = PredictionModelFiles.Versions(folder);
        var version = Version ?? (versions.Count == 0 ? 0 : versions[^1]);
        return versions.Contains(version)
            ? Cache.Saved(Path.GetFullPath(Path.Combine(folder, $"predict-v{version}.json")), () => PredictionModelFiles.Load(folder, version))
            : null;
    }

    private ReportTable Prospects(EventColumns columns, JourneyStages stages, PredictionOptions options, PredictionModel model, ProspectScorer scorer, ProspectScores scores)
    {
        var m = PredictionModels.All.ToList().IndexOf(Model ?? PredictionModels.LightGbm);
        var candidates = scorer.Candidates;
        var to = EventTime.ToMicros(options.To);
        var order = Enumerable.Range(0, scores.Count)
            .OrderByDescending(s => scores.Probability[m][s]).ThenBy(s => columns.PersonIds[scores.Person[s]], StringComparer.Ordinal);
        var rows = (Top is { } top ? order.Take(top) : order).Select(s =>
        {
            var best = scores.Best[m][s];
            return new ProspectRow(columns.PersonIds[scores.Person[s]], scores.Probability[m][s], PredictionModels.All[m], stages.Name(scores.Stage[s]),
                model.Layout.Touches[scores.LastTouch[s]], (to - scores.LastTouchTime[s]) / 86_400_000_000.0,
                best < 0 ? null : candidates[best], best < 0 ? null : scores.Uplift[m][s]).Values();
        });
        return new ReportTable(ProspectRow.Columns, [.. rows]);
    }

    private static ReportTable NextTouches(ProspectScorer scorer, ProspectScores scores)
    {
        var rows = new List<NextTouchRow>();
        for (var m = 0; m < 2; m++)
        {
            for (var k = 0; k < scorer.Candidates.Count; k++)
            {
                var gain = scores.Gain[m].Length == 0 ? 0 : scores.Gain[m][k];
                rows.Add(new NextTouchRow(PredictionModels.All[m], scorer.Candidates[k], scores.BestFor[m].Length == 0 ? 0 : scores.BestFor[m][k], gain,
                    scores.Count == 0 ? 0 : gain / scores.Count, scores.Count));
            }
        }

        return new ReportTable(NextTouchRow.Columns,
            [.. rows.OrderBy(r => r.Model == PredictionModels.LightGbm ? 0 : 1).ThenByDescending(r => r.TotalGain).ThenBy(r => r.Touch, StringComparer.Ordinal).Select(r => r.Values())]);
    }

    private static string Day(DateTime t) => t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
