namespace Pretzel.Core.Events;

/// <summary>
/// One thing a person did or that happened to them, following the Segment spec, with the
/// marketing fields already normalised (channel, source, medium, campaign, ...).
/// Times are UTC.
/// </summary>
public sealed record Event
{
    /// <summary>Unique id of the message; a re-sent message with the same id is stored once.</summary>
    public required string MessageId { get; init; }

    /// <summary>Segment message type.</summary>
    public EventType Type { get; init; } = EventType.Track;

    /// <summary>Event name for <c>track</c> (e.g. <c>purchase</c>); page or screen name for <c>page</c>/<c>screen</c>.</summary>
    public string? Name { get; init; }

    /// <summary>When it happened (UTC).</summary>
    public required DateTime Timestamp { get; init; }

    /// <summary>When Pretzel received it (UTC).</summary>
    public required DateTime ReceivedAt { get; init; }

    /// <summary>Device or cookie id of a visitor not (yet) known.</summary>
    public string? AnonymousId { get; init; }

    /// <summary>The business's own id of a known customer.</summary>
    public string? UserId { get; init; }

    /// <summary>For <c>alias</c>: the id the person was known by before.</summary>
    public string? PreviousId { get; init; }

    /// <summary>For <c>group</c>: the account or company id.</summary>
    public string? GroupId { get; init; }

    /// <summary>Free-form properties as a JSON object, or null.</summary>
    public string? Properties { get; init; }

    /// <summary>Normalised marketing channel (e.g. <c>paid_search</c>, <c>email</c>, <c>offline_call</c>).</summary>
    public string? Channel { get; init; }

    /// <summary>Traffic source (utm_source or the referring host).</summary>
    public string? Source { get; init; }

    /// <summary>Traffic medium (utm_medium, or <c>organic</c>/<c>referral</c> derived from the referrer).</summary>
    public string? Medium { get; init; }

    /// <summary>utm_campaign.</summary>
    public string? Campaign { get; init; }

    /// <summary>utm_content.</summary>
    public string? Content { get; init; }

    /// <summary>utm_term.</summary>
    public string? Term { get; init; }

    /// <summary>Referring URL.</summary>
    public string? Referrer { get; init; }

    /// <summary>Money the event brought (negative for refunds), in <see cref="Currency"/>.</summary>
    public double? Revenue { get; init; }

    /// <summary>ISO-4217 currency code of <see cref="Revenue"/>.</summary>
    public string? Currency { get; init; }
}
