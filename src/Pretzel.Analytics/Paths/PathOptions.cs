namespace Pretzel.Analytics.Paths;

/// <summary>What a touchpoint is.</summary>
public enum TouchKind
{
    /// <summary>An event with a channel (a visit's landing, an email, a call…), named by its channel.</summary>
    Channel,

    /// <summary>An event with a name (a page, a track event), named by it.</summary>
    Event,

    /// <summary>An event with a name, named <c>channel:event</c> (<c>(none)</c> for no channel).</summary>
    ChannelEvent,

    /// <summary>An event with a campaign, named by its campaign.</summary>
    Campaign,

    /// <summary>An event with a channel, named <c>channel:campaign</c> (<c>(none)</c> for no campaign).</summary>
    ChannelCampaign,
}

/// <summary>How journeys are cut out of people's events (see docs/analyses/paths.md).</summary>
public sealed record PathOptions
{
    public TouchKind Touch { get; init; } = TouchKind.Channel;

    /// <summary>Event names that are conversions; a conversion ends a journey.</summary>
    public IReadOnlyList<string> ConversionEvents { get; init; } = ["purchase", "order_completed"];

    /// <summary>Touches older than this before the journey's end are left out of its path.</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Repeated consecutive touches count once.</summary>
    public bool Collapse { get; init; }

    /// <summary>Keep only the last this many touches of a path (null: all).</summary>
    public int? MaxLength { get; init; }

    /// <summary>End of the analysis (UTC): later events are ignored.</summary>
    public required DateTime To { get; init; }

    /// <summary>The accepted spellings of <see cref="Touch"/>.</summary>
    public static IReadOnlyList<string> TouchNames { get; } = ["channel", "event", "channel:event", "campaign", "channel:campaign"];

    /// <summary>Parses a <c>--touch</c> value; throws <see cref="PathException"/> naming it.</summary>
    public static TouchKind ParseTouch(string text) => text switch
    {
        "channel" => TouchKind.Channel,
        "event" => TouchKind.Event,
        "channel:event" => TouchKind.ChannelEvent,
        "campaign" => TouchKind.Campaign,
        "channel:campaign" => TouchKind.ChannelCampaign,
        _ => throw new PathException($"--touch {text}: expected one of {string.Join(", ", TouchNames)}"),
    };

    /// <summary>Throws <see cref="PathException"/> when the options cannot cut journeys.</summary>
    public void Validate()
    {
        if (ConversionEvents.Count == 0 || ConversionEvents.Any(string.IsNullOrWhiteSpace))
        {
            throw new PathException("--conversion: name at least one conversion event");
        }

        if (Lookback <= TimeSpan.Zero)
        {
            throw new PathException($"--lookback must be positive; got {Lookback}");
        }

        if (MaxLength is < 1)
        {
            throw new PathException($"--max-length must be at least 1; got {MaxLength}");
        }
    }
}

/// <summary>Paths that cannot be computed as asked; the message names the option.</summary>
public sealed class PathException(string message) : Exception(message);
