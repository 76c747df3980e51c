using System.Globalization;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// A funnel as typed by people: the same text options for <c>pretzel funnel</c> and <c>/api/v1/funnel</c>,
/// turned into <see cref="FunnelOptions"/> with errors that name the option and the value.
/// </summary>
public sealed record FunnelArguments
{
    /// <summary>Comma-separated steps (event names or FIELD=VALUE conditions).</summary>
    public string? Steps { get; init; }

    /// <summary>Window such as <c>7d</c>, <c>12h</c>, <c>90m</c>, <c>2w</c>, <c>3600s</c>. Default 7d.</summary>
    public string? Window { get; init; }

    /// <summary>Per-step windows: <c>2=1d,3=14d</c>.</summary>
    public string? StepWindows { get; init; }

    /// <summary><c>ordered</c> (default), <c>strict</c> or <c>any</c>.</summary>
    public string? Order { get; init; }

    public bool Open { get; init; }

    /// <summary>A step-like condition that breaks a chain it falls inside.</summary>
    public string? Exclude { get; init; }

    /// <summary>Where the exclusion applies: <c>FROM-TO</c> step numbers (default: the whole funnel).</summary>
    public string? ExcludeBetween { get; init; }

    /// <summary><c>people</c> (default) or <c>journeys</c>.</summary>
    public string? Count { get; init; }

    /// <summary>Breakdown field (see <see cref="FunnelOptions.By"/>).</summary>
    public string? By { get; init; }

    /// <summary>A stage model whose stage names may be used as steps (and as the exclusion).</summary>
    public Stages.StageModel? Model { get; init; }

    /// <summary>End of the analysis (ISO-8601 UTC); default now.</summary>
    public string? To { get; init; }

    /// <summary>Builds the options; throws <see cref="FunnelException"/> naming what is wrong.</summary>
    public FunnelOptions ToOptions(DateTime now)
    {
        if (string.IsNullOrWhiteSpace(Steps))
        {
            throw new FunnelException("--steps is required: the funnel's steps, comma-separated (e.g. --steps \"product_viewed,add_to_cart,purchase\")");
        }

        var options = new FunnelOptions
        {
            Steps = [.. Steps.Split(',').Select(StepOf)],
            Window = Window is null ? TimeSpan.FromDays(7) : ParseDuration(Window, "--window"),
            StepWindows = ParseStepWindows(StepWindows),
            Order = Order?.Trim().ToLowerInvariant() switch
            {
                null or "" or "ordered" => FunnelOrder.Ordered,
                "strict" => FunnelOrder.Strict,
                "any" => FunnelOrder.Any,
                _ => throw new FunnelException($"--order {Order}: expected ordered, strict or any"),
            },
            Open = Open,
            Exclude = Exclude is null ? null : StepOf(Exclude),
            Count = Count?.Trim().ToLowerInvariant() switch
            {
                null or "" or "people" => FunnelCount.People,
                "journeys" => FunnelCount.Journeys,
                _ => throw new FunnelException($"--count {Count}: expected people or journeys"),
            },
            To = To is null ? now : ParseTime(To),
            By = string.IsNullOrWhiteSpace(By) ? null : By.Trim().ToLowerInvariant(),
        };
        if (ExcludeBetween is not null)
        {
            var parts = ExcludeBetween.Split('-');
            if (Exclude is null || parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var from) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var to))
            {
                throw new FunnelException($"--exclude-between {ExcludeBetween}: expected FROM-TO step numbers (e.g. 2-3), with --exclude");
            }

            options = options with { ExcludeFrom = from, ExcludeTo = to };
        }

        options.Validate();
        return options;
    }

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>.</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t.Length >= 2 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && double.IsFinite(n))
        {
            double? seconds = t[^1] switch
            {
                's' => n,
                'm' => n * 60,
                'h' => n * 3600,
                'd' => n * 86400,
                'w' => n * 7 * 86400,
                _ => null,
            };
            if (seconds is { } sec)
            {
                // Between a microsecond (the stores' precision) and 100 years.
                if (sec < 1e-6 || sec > 100 * 366 * 86400.0)
                {
                    throw new FunnelException($"{option} {text}: must lie between one microsecond and 100 years");
                }

                return TimeSpan.FromTicks((long)Math.Round(sec * TimeSpan.TicksPerSecond));
            }
        }

        throw new FunnelException($"{option} {text}: expected a positive duration such as 90s, 30m, 12h, 7d or 2w");
    }

    private static Dictionary<int, TimeSpan> ParseStepWindows(string? text)
    {
        var result = new Dictionary<int, TimeSpan>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var part in text.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !int.TryParse(part[..eq].Trim(), CultureInfo.InvariantCulture, out var step))
            {
                throw new FunnelException($"--step-window {part.Trim()}: expected STEP=DURATION, e.g. 2=1d");
            }

            result[step] = ParseDuration(part[(eq + 1)..], $"--step-window {step}=");
        }

        return result;
    }

    /// <summary>Parses an end of analysis (<c>--to</c>): an ISO-8601 date or date-time, UTC unless it says otherwise.</summary>
    public static DateTime ParseTime(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t.UtcDateTime;
        }

        throw new FunnelException($"--to {text}: expected an ISO-8601 date or date-time, e.g. 2025-12-31 or 2025-12-31T18:00:00Z");
    }

    // A stage of the model when the text names one, otherwise an event name or conditions.
    private FunnelStep StepOf(string text) =>
        Model?.Find(text.Trim()) is { } stage ? FunnelStep.FromStage(stage) : FunnelStep.Parse(text);
}
