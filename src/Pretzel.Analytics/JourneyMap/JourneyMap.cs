namespace Pretzel.Analytics.JourneyMap;

/// <summary>
/// A customer-journey map: the stages of a model with their numbers and touchpoints, and the touchpoints shown as
/// columns of the grid (every touchpoint in some stage's top <see cref="Top"/>, most people overall first).
/// </summary>
public sealed record JourneyMap(string Model, TouchpointKind Kind, int Top, IReadOnlyList<JourneyMapStage> Stages, IReadOnlyList<string> Columns)
{
    /// <summary>The stage's touchpoints shown in its row: its top <see cref="Top"/>.</summary>
    public IReadOnlyList<TouchpointCount> TopOf(JourneyMapStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return [.. stage.Touchpoints.Take(Top)];
    }
}
