using Pretzel.Core.Events;

namespace Pretzel.Ingest.Tests.Channels;

/// <summary>Builds events for channel tests: only the marketing fields vary.</summary>
internal static class Events
{
    private static readonly DateTime Time = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static Event Marketing(
        string? source = null,
        string? medium = null,
        string? campaign = null,
        string? referrer = null,
        string? properties = null,
        string? channel = null) => new()
        {
            MessageId = "m-1",
            Timestamp = Time,
            ReceivedAt = Time,
            Name = "page_view",
            Type = EventType.Page,
            Source = source,
            Medium = medium,
            Campaign = campaign,
            Referrer = referrer,
            Properties = properties,
            Channel = channel,
        };
}
