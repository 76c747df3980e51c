using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Which touches next-best-touch suggests unless told (<c>--touches</c>): those a business can send or buy. A person
/// arrives <c>direct</c>, through a search engine's or a social network's unpaid results, a link on another site, an
/// affiliate's page or a friend's word of their own accord or by someone else's choice; nobody can "do" such a touch
/// to a prospect, so advising it is no advice. Every other channel — paid media (<c>paid_search</c>, <c>paid_social</c>,
/// <c>display</c>, <c>audio</c>, …), messages sent (<c>email</c>, <c>sms</c>, <c>push</c>), sales and events
/// (<c>offline_call</c>, <c>offline_meeting</c>, <c>event</c>) and a project's own channels — is a candidate. The
/// channel names are those of docs/channels.md.
/// </summary>
public static class CandidateTouches
{
    /// <summary>Channels a business cannot send or buy for one prospect: never suggested unless named in <c>--touches</c>.</summary>
    public static IReadOnlyList<string> NotActionableChannels { get; } =
    [
        "direct", "organic_search", "organic_social", "organic_video", "organic_shopping", "referral", "affiliates", "word_of_mouth", "unassigned",
    ];

    /// <summary>
    /// The default candidates among <paramref name="touches"/> (a model's touch names, in order): for channel touches,
    /// those whose channel is not in <see cref="NotActionableChannels"/>; for <c>channel:event</c> and
    /// <c>channel:campaign</c>, those whose channel part is not (nor <c>(none)</c>, no channel), and for
    /// <c>channel:event</c> whose event is no conversion event (a purchase is the outcome, not a touch to send). Event
    /// names alone say nothing about who causes them, so with <c>--touch event</c> only the conversion events are left
    /// out; campaigns are the business's own, so with <c>--touch campaign</c> every campaign is a candidate.
    /// </summary>
    public static IReadOnlyList<string> Default(IReadOnlyList<string> touches, TouchKind kind, IReadOnlyList<string> conversionEvents)
    {
        ArgumentNullException.ThrowIfNull(touches);
        ArgumentNullException.ThrowIfNull(conversionEvents);
        return [.. touches.Where(t => t != FeatureLayout.Other && IsActionable(t, kind, conversionEvents))];
    }

    private static bool IsActionable(string touch, TouchKind kind, IReadOnlyList<string> conversionEvents)
    {
        var colon = touch.IndexOf(':', StringComparison.Ordinal);
        return kind switch
        {
            TouchKind.Channel => Channel(touch),
            TouchKind.ChannelCampaign => Channel(colon < 0 ? touch : touch[..colon]),
            TouchKind.ChannelEvent => colon >= 0 && Channel(touch[..colon]) && !conversionEvents.Contains(touch[(colon + 1)..]),
            TouchKind.Event => !conversionEvents.Contains(touch),
            _ => true,
        };
    }

    private static bool Channel(string channel) => channel != "(none)" && !NotActionableChannels.Contains(channel);
}
