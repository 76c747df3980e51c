namespace Pretzel.Analytics.Attribution;

/// <summary>The attribution models, in the order they are listed and computed (see docs/analyses/attribution.md).</summary>
public static class AttributionModels
{
    public const string FirstTouch = "first_touch";
    public const string LastTouch = "last_touch";
    public const string LastNonDirect = "last_non_direct";
    public const string Linear = "linear";
    public const string TimeDecay = "time_decay";
    public const string PositionBased = "position_based";
    public const string Markov = "markov";
    public const string Shapley = "shapley";

    /// <summary>Every model, in output order.</summary>
    public static IReadOnlyList<string> All { get; } = [FirstTouch, LastTouch, LastNonDirect, Linear, TimeDecay, PositionBased, Markov, Shapley];

    /// <summary>The models that need touch times, which a path table does not hold.</summary>
    public static IReadOnlyList<string> NeedTimes { get; } = [TimeDecay];

    /// <summary>The touch <see cref="AttributionModels.LastNonDirect"/> passes over.</summary>
    public const string Direct = "direct";

    /// <summary>The channel credited for a journey without touches (a conversion with no touch in the lookback).</summary>
    public const string NoTouch = Paths.PathTableFile.NoTouch;

    /// <summary>
    /// Parses a <c>--models</c> list (comma-separated, any order, repeats ignored) into output order; null or empty
    /// means every model the input allows. Throws <see cref="Paths.PathException"/> naming an unknown model, or a model
    /// that needs touch times when <paramref name="withTimes"/> is false.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? text, bool withTimes)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [.. All.Where(m => withTimes || !NeedTimes.Contains(m))];
        }

        var asked = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var model in asked)
        {
            if (!All.Contains(model))
            {
                throw new Paths.PathException($"--models {model}: expected one or more of {string.Join(", ", All)}");
            }

            if (!withTimes && NeedTimes.Contains(model))
            {
                throw new Paths.PathException(
                    $"--models {model}: needs the time of every touch, which a path table file does not have; run it on the store (without --paths)");
            }
        }

        return [.. All.Where(asked.Contains)];
    }
}

/// <summary>Position-based weights: the first touch, the touches in between (shared), the last touch; any positive scale.</summary>
public readonly record struct PositionWeights(double First, double Middle, double Last)
{
    /// <summary>40/20/40.</summary>
    public static PositionWeights Default { get; } = new(40, 20, 40);

    /// <summary>Parses <c>a,b,c</c>; throws <see cref="Paths.PathException"/> unless all are non-negative and first + last is positive.</summary>
    public static PositionWeights Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]))
            {
                values[i] = double.NaN;
            }
        }

        if (parts.Length != 3 || values.Any(v => !double.IsFinite(v) || v < 0))
        {
            throw new Paths.PathException($"--position-weights {text}: expected three non-negative numbers first,middle,last, e.g. 40,20,40");
        }

        var weights = new PositionWeights(values[0], values[1], values[2]);
        weights.Validate();
        return weights;
    }

    /// <summary>Throws <see cref="Paths.PathException"/> when the weights cannot split a journey's credit.</summary>
    public void Validate()
    {
        if (!(First >= 0 && Middle >= 0 && Last >= 0 && double.IsFinite(First + Middle + Last)) || First + Last <= 0)
        {
            throw new Paths.PathException(
                $"--position-weights {First},{Middle},{Last}: the weights must be non-negative, and first + last positive (a two-touch journey is split between them)");
        }
    }
}

/// <summary>What to compute: the models and their parameters.</summary>
public sealed record AttributionOptions
{
    /// <summary>Models to compute, in <see cref="AttributionModels.All"/> order.</summary>
    public IReadOnlyList<string> Models { get; init; } = AttributionModels.All;

    /// <summary>Markov order 1..<see cref="Graph.MarkovChain.MaxOrder"/>: a state is the last K touches.</summary>
    public int MarkovOrder { get; init; } = 1;

    /// <summary>Time decay: a touch this long before the conversion counts half as much as one at the conversion.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(7);

    public PositionWeights PositionWeights { get; init; } = PositionWeights.Default;

    /// <summary>Throws <see cref="Paths.PathException"/> naming the option that cannot be used.</summary>
    public void Validate()
    {
        foreach (var model in Models)
        {
            if (!AttributionModels.All.Contains(model))
            {
                throw new Paths.PathException($"--models {model}: expected one or more of {string.Join(", ", AttributionModels.All)}");
            }
        }

        if (MarkovOrder is < 1 or > Graph.MarkovChain.MaxOrder)
        {
            throw new Paths.PathException($"--markov-order {MarkovOrder}: expected 1..{Graph.MarkovChain.MaxOrder}");
        }

        if (HalfLife <= TimeSpan.Zero)
        {
            throw new Paths.PathException($"--half-life must be positive; got {HalfLife}");
        }

        PositionWeights.Validate();
    }
}
