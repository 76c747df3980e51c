namespace Pretzel.Analytics.JourneyMap;

/// <summary>What a touchpoint of the journey map is: the event's channel (what marketers plan with) or its name.</summary>
public enum TouchpointKind
{
    Channel,
    Event,
}
