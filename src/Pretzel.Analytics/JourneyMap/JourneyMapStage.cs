namespace Pretzel.Analytics.JourneyMap;

/// <summary>
/// One stage of the journey map. <see cref="Reached"/>, <see cref="Current"/>, <see cref="ConversionToNext"/> (the next
/// stage's conversion from this one) and <see cref="MedianDaysInStage"/> are the stage report's (<c>pretzel stages</c>);
/// <see cref="Touchpoints"/> are all the touchpoints used while in the stage, most people first; <see cref="Gap"/>: none.
/// </summary>
public sealed record JourneyMapStage(int Index, string Stage, long Reached, long Current, double? ConversionToNext, double? MedianDaysInStage,
    IReadOnlyList<TouchpointCount> Touchpoints)
{
    /// <summary>No touchpoint at this stage: nothing reaches people while they are here.</summary>
    public bool Gap => Touchpoints.Count == 0;
}
