namespace Pretzel.Core.Events;

/// <summary>The canonical column names of the event model, as stored and as accepted by import.</summary>
public static class EventColumn
{
    public const string MessageId = "message_id";
    public const string Type = "type";
    public const string Event = "event";
    public const string Timestamp = "timestamp";
    public const string ReceivedAt = "received_at";
    public const string AnonymousId = "anonymous_id";
    public const string UserId = "user_id";
    public const string PreviousId = "previous_id";
    public const string GroupId = "group_id";
    public const string Properties = "properties";
    public const string Channel = "channel";
    public const string Source = "source";
    public const string Medium = "medium";
    public const string Campaign = "campaign";
    public const string Content = "content";
    public const string Term = "term";
    public const string Referrer = "referrer";
    public const string Revenue = "revenue";
    public const string Currency = "currency";

    /// <summary>Every stored column in table order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        MessageId, Type, Event, Timestamp, ReceivedAt, AnonymousId, UserId, PreviousId, GroupId,
        Channel, Source, Medium, Campaign, Content, Term, Referrer, Revenue, Currency, Properties,
    ];
}
