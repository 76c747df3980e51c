using Pretzel.Core.Events;

namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>Small events for store tests.</summary>
internal static class TestEvents
{
    public static readonly DateTime T0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static Event Track(string messageId, string name = "page_view", string? anonymousId = "a-1", string? userId = null, int minutes = 0) => new()
    {
        MessageId = messageId,
        Type = EventType.Track,
        Name = name,
        Timestamp = T0.AddMinutes(minutes),
        ReceivedAt = T0.AddMinutes(minutes).AddSeconds(1),
        AnonymousId = anonymousId,
        UserId = userId,
    };

    public static List<Event> Many(int count, string prefix = "m-") =>
        Enumerable.Range(0, count).Select(i => Track($"{prefix}{i:D6}", minutes: i)).ToList();
}
