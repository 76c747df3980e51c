namespace Pretzel.Core.Events;

/// <summary>The Segment message types Pretzel stores.</summary>
public enum EventType
{
    Track,
    Page,
    Screen,
    Identify,
    Alias,
    Group,
}
