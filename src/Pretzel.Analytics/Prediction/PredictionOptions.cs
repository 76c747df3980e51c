using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// How conversion is predicted (see docs/analyses/prediction.md): what a touch and a conversion are, which stage
/// model gives the stage reached, how far ahead the prediction looks, and how the data are split in time.
/// </summary>
public sealed record PredictionOptions
{
    /// <summary>What a touchpoint is (default: its channel, as <c>paths</c> and <c>attribution</c>).</summary>
    public TouchKind Touch { get; init; } = TouchKind.Channel;

    /// <summary>Events that are conversions (default: purchase, order_completed, as <c>funnel</c> and <c>attribution</c>).</summary>
    public IReadOnlyList<string> ConversionEvents { get; init; } = ["purchase", "order_completed"];

    /// <summary>A journey is open while its last touch is at most this old (default 90 days, the paths lookback).</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Predict a conversion within this long after the moment of prediction (default 30 days).</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Journeys are looked at once every this long (snapshots; default 7 days).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Markov order of the chain model, 1..4 (default 2).</summary>
    public int Order { get; init; } = 2;

    /// <summary>The stage model whose highest stage reached is a feature and the baseline's only input (default <c>journey</c>).</summary>
    public StageModel Stages { get; init; } = BuiltInModels.Find("journey")!;

    /// <summary>The moment of prediction and end of the data used (UTC).</summary>
    public required DateTime To { get; init; }

    /// <summary>The time split: training journeys started before it, holdout journeys at or after it (null: the default, see <see cref="PredictionWindow"/>).</summary>
    public DateTime? Cutoff { get; init; }

    /// <summary>The touches next-best-touch may suggest (null: those a business can send or buy, see <see cref="CandidateTouches"/>).</summary>
    public IReadOnlyList<string>? Candidates { get; init; }

    /// <summary>A session ends after this long without an event (30 minutes, as web analytics count visits).</summary>
    public static TimeSpan SessionGap { get; } = TimeSpan.FromMinutes(30);

    /// <summary>Bumped whenever features change meaning: a saved model with another version is refused.</summary>
    public const int FeatureVersion = 1;

    /// <summary>Throws <see cref="PathException"/> naming the option that cannot be used.</summary>
    public void Validate()
    {
        if (ConversionEvents.Count == 0 || ConversionEvents.Any(string.IsNullOrWhiteSpace))
        {
            throw new PathException("--conversion: name at least one conversion event");
        }

        if (Lookback <= TimeSpan.Zero)
        {
            throw new PathException($"--lookback must be positive; got {Lookback}");
        }

        if (Horizon < TimeSpan.FromHours(1))
        {
            throw new PathException($"--horizon must be at least 1h; got {Horizon}");
        }

        if (Step < TimeSpan.FromHours(1))
        {
            throw new PathException($"--step must be at least 1h; got {Step}");
        }

        if (Order is < 1 or > Graph.MarkovChain.MaxOrder)
        {
            throw new PathException($"--order {Order}: expected 1..{Graph.MarkovChain.MaxOrder}");
        }

        if (Cutoff is { } cutoff && cutoff >= To)
        {
            throw new PathException($"--cutoff {cutoff:yyyy-MM-dd HH:mm:ss}: must be before the end of the data ({To:yyyy-MM-dd HH:mm:ss})");
        }

        Stages.Validate();
    }

    /// <summary>
    /// What a model's inputs mean, as text: the touch, the conversion events, the lookback and the stage model (with its
    /// rules). A saved model is only used when this matches; <see cref="Fingerprint"/> is its hash.
    /// </summary>
    public string TouchDefinition =>
        string.Create(CultureInfo.InvariantCulture,
            $"features=v{FeatureVersion}; touch={PathOptions.TouchNames[(int)Touch]}; conversion={string.Join(",", ConversionEvents)}; lookback={Lookback.TotalHours}h; stages={Stages.Name}");

    /// <summary>A short hash of <see cref="TouchDefinition"/> and the stage rules.</summary>
    public string Fingerprint
    {
        get
        {
            var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(TouchDefinition + "\n" + Rules()));
            return Convert.ToHexStringLower(bytes)[..16];
        }
    }

    /// <summary>The stage model's stages and rules as text: what stage matching depends on.</summary>
    internal string StageRules => Stages.Name + "=" + Rules();

    /// <summary>Everything a model trained on the fly depends on besides the data: its definition, horizon, order, end and step.</summary>
    internal string ModelKey =>
        string.Create(CultureInfo.InvariantCulture, $"{Fingerprint}|{TouchDefinition}|h={Horizon.Ticks}|o={Order}|to={To.Ticks}|step={Step.Ticks}");

    private string Rules() => string.Join("|", Stages.Stages.Append(Stages.Exit).OfType<Stage>().Select(s => s.Name + ":" + string.Join(";", s.Rules.Select(Rule))));

    private static string Rule(StageRule r) =>
        $"e={Join(r.Events)},t={Join(r.Types)},c={Join(r.Channels)},w={Join(r.Where?.Select(c => c.ToString()))},o={r.Occurrence}";

    private static string Join(IEnumerable<string>? values) => values is null ? "*" : string.Join("/", values);
}
