using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.Shapes;

/// <summary>A journey shape analysis to run: the stage model, the gap that counts as a return, the end, the breakdown.</summary>
public sealed record ShapeOptions
{
    /// <summary>The default <see cref="Gap"/>: 30 days.</summary>
    public static readonly TimeSpan DefaultGap = TimeSpan.FromDays(30);

    public required StageModel Model { get; init; }

    /// <summary>Two consecutive events of a person further apart than this make a return after a gap.</summary>
    public TimeSpan Gap { get; init; } = DefaultGap;

    /// <summary>End of the analysis (inclusive; null: all events).</summary>
    public DateTime? To { get; init; }

    /// <summary>Breakdown: null (one group, <c>all</c>) or <c>first_touch</c>.</summary>
    public string? By { get; init; }

    /// <summary>The accepted values of <see cref="By"/>.</summary>
    public static IReadOnlyList<string> ByFields { get; } = ["first_touch"];

    /// <summary>Throws <see cref="ShapeException"/> (or <see cref="StageModelException"/> for the model) when the options cannot be used.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model);
        Model.Validate();
        if (Gap <= TimeSpan.Zero)
        {
            throw new ShapeException($"--gap must be positive; got {Gap}");
        }

        if (By is not null && !ByFields.Contains(By))
        {
            throw new ShapeException($"--by {By}: expected one of {string.Join(", ", ByFields)}");
        }
    }
}

/// <summary>Options that do not make a shape analysis; the message names the option and value.</summary>
public sealed class ShapeException(string message) : Exception(message);
