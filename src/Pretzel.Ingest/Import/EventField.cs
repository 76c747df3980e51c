namespace Pretzel.Ingest.Import;

/// <summary>The event-model fields an input column can feed.</summary>
internal enum EventField
{
    MessageId,
    Type,
    Event,
    Timestamp,
    ReceivedAt,
    AnonymousId,
    UserId,
    PreviousId,
    GroupId,
    Channel,
    Source,
    Medium,
    Campaign,
    Content,
    Term,
    Referrer,
    Revenue,
    Currency,
    Properties,
}
