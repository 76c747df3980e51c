namespace Pretzel.Analytics.Shapes;

/// <summary>What a journey did (not exclusive); see docs/analyses/journeys.md for the precise definitions.</summary>
[Flags]
public enum ShapeTraits
{
    None = 0,

    /// <summary>Stages one after another from the first stage: no skip, no going back, no mid-funnel entry.</summary>
    Linear = 1,

    /// <summary>Reached some stage k &gt; 0 before having reached stage k − 1 (a mid-funnel entry counts).</summary>
    Skips = 2,

    /// <summary>A stage event lower than the furthest stage reached so far.</summary>
    GoesBack = 4,

    /// <summary>Among the stage events, a touchpoint came back after a different one in between (A … B … A).</summary>
    Loops = 8,

    /// <summary>Two consecutive events of the person more than the gap apart.</summary>
    ReturnsAfterGap = 16,

    /// <summary>The first stage event is not in the model's first stage.</summary>
    EntersMidFunnel = 32,

    /// <summary>An event of the model's exit.</summary>
    Refused = 64,
}

/// <summary>One person's journey: its traits and the channel of the person's first touch (<c>(none)</c> without one).</summary>
public sealed record JourneyShape(string PersonId, ShapeTraits Traits, string FirstTouch);
