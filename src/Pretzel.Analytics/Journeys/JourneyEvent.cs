namespace Pretzel.Analytics.Journeys;

/// <summary>
/// One event of a person, as the analyses see it: time in microseconds since the Unix epoch (UTC) and the
/// fields steps match on, and the revenue; <see cref="Properties"/> (JSON) only when the loader was asked for them.
/// </summary>
public sealed record JourneyEvent(long Micros, string MessageId, string Type, string? Name, string? Channel, string? Source, string? Medium, string? Campaign, string? Properties = null, double? Revenue = null);

/// <summary>A person's events, sorted by time, then message id (the order analyses break ties in).</summary>
public sealed record PersonJourney(string PersonId, IReadOnlyList<JourneyEvent> Events);
