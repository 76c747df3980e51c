namespace Pretzel.Analytics.JourneyMap;

/// <summary>One touchpoint at one stage: the people who used it while in the stage, and how many events.</summary>
public sealed record TouchpointCount(string Touchpoint, long People, long Events);
