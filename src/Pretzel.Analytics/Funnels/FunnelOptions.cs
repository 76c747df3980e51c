namespace Pretzel.Analytics.Funnels;

/// <summary>How the steps must follow each other.</summary>
public enum FunnelOrder
{
    /// <summary>Each step later than the previous one; other events may come in between.</summary>
    Ordered,

    /// <summary>As ordered, and the matched events are consecutive in the person's event stream.</summary>
    Strict,

    /// <summary>The steps in any order, all within one window.</summary>
    Any,
}

/// <summary>Where a person stands at a step.</summary>
public enum FunnelStatus
{
    /// <summary>Went on to the next step (on the last step: reached it).</summary>
    Converted,

    /// <summary>Did not go on, and their window had closed at the end of the analysis.</summary>
    Dropped,

    /// <summary>Did not go on yet; their window was still open at the end of the analysis.</summary>
    InWindow,
}

/// <summary>What the funnel counts.</summary>
public enum FunnelCount
{
    /// <summary>Each person once, at the furthest step any of their attempts reached.</summary>
    People,

    /// <summary>Each attempt (each event of the first step) on its own.</summary>
    Journeys,
}

/// <summary>A funnel to compute: steps and their rules.</summary>
public sealed record FunnelOptions
{
    /// <summary>At least two steps.</summary>
    public required IReadOnlyList<FunnelStep> Steps { get; init; }

    /// <summary>Longest time from the first step's event to the last reached step's event.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Per step k (1-based, k ≥ 2): longest time from step k−1's event to step k's.</summary>
    public IReadOnlyDictionary<int, TimeSpan> StepWindows { get; init; } = new Dictionary<int, TimeSpan>();

    public FunnelOrder Order { get; init; } = FunnelOrder.Ordered;

    /// <summary>People may enter at any step (GA4's open funnel).</summary>
    public bool Open { get; init; }

    /// <summary>Events that, inside a chain between <see cref="ExcludeFrom"/> and <see cref="ExcludeTo"/>, break it.</summary>
    public FunnelStep? Exclude { get; init; }

    /// <summary>First step (1-based) of the stretch where <see cref="Exclude"/> applies. Default: 1.</summary>
    public int ExcludeFrom { get; init; } = 1;

    /// <summary>Last step (1-based) of the stretch where <see cref="Exclude"/> applies. Default: the last step.</summary>
    public int? ExcludeTo { get; init; }

    public FunnelCount Count { get; init; } = FunnelCount.People;

    /// <summary>
    /// Breakdown: <c>channel</c>, <c>source</c>, <c>medium</c>, <c>campaign</c> or <c>type</c> of the first step's
    /// event (of the attempt that got furthest), or <c>first_touch</c> / <c>last_touch</c> (the channel of the
    /// person's first or last event with one). Null: no breakdown.
    /// </summary>
    public string? By { get; init; }

    /// <summary>The accepted values of <see cref="By"/>.</summary>
    public static IReadOnlyList<string> ByFields { get; } = ["channel", "source", "medium", "campaign", "type", "first_touch", "last_touch"];

    /// <summary>End of the analysis (UTC): later events are ignored, and people whose window is still open then are "still in window", not dropped.</summary>
    public required DateTime To { get; init; }

    /// <summary>Throws <see cref="FunnelException"/> when the options do not make a funnel.</summary>
    public void Validate()
    {
        if (Steps.Count < 2)
        {
            throw new FunnelException($"a funnel needs at least two steps; got {Steps.Count} (--steps \"a,b\")");
        }

        if (Window <= TimeSpan.Zero)
        {
            throw new FunnelException($"--window must be positive; got {Window}");
        }

        foreach (var (step, window) in StepWindows)
        {
            if (step < 2 || step > Steps.Count)
            {
                throw new FunnelException($"--step-window {step}=…: steps 2..{Steps.Count} have a window from the previous step");
            }

            if (window <= TimeSpan.Zero)
            {
                throw new FunnelException($"--step-window {step}={window}: must be positive");
            }
        }

        if (Exclude is not null && (ExcludeFrom < 1 || (ExcludeTo ?? Steps.Count) > Steps.Count || ExcludeFrom >= (ExcludeTo ?? Steps.Count)))
        {
            throw new FunnelException($"--exclude: the stretch {ExcludeFrom}..{ExcludeTo ?? Steps.Count} must lie within steps 1..{Steps.Count}");
        }

        if (By is not null && !ByFields.Contains(By))
        {
            throw new FunnelException($"--by {By}: expected one of {string.Join(", ", ByFields)}");
        }

        if (Order == FunnelOrder.Any && By is not null && By is not ("first_touch" or "last_touch"))
        {
            throw new FunnelException($"--order any breaks down only by first_touch or last_touch (it has no first-step event); got --by {By}");
        }

        if (Order == FunnelOrder.Any && (Open || StepWindows.Count > 0 || Exclude is not null))
        {
            throw new FunnelException("--order any takes neither --open, --step-window nor --exclude (they need an order)");
        }
    }
}
