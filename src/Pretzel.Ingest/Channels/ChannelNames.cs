namespace Pretzel.Ingest.Channels;

/// <summary>
/// The channel names the built-in rules assign, and the spelling every channel name is stored in:
/// lower-case snake_case (<c>"Offline Call"</c> → <c>offline_call</c>).
/// </summary>
public static class ChannelNames
{
    /// <summary>Typed or bookmarked URL: source <c>(direct)</c>, medium <c>(none)</c>.</summary>
    public const string Direct = "direct";

    /// <summary>Ads on several networks at once (campaign name contains <c>cross-network</c>).</summary>
    public const string CrossNetwork = "cross_network";

    /// <summary>Paid ads on shopping sites or shopping campaigns.</summary>
    public const string PaidShopping = "paid_shopping";

    /// <summary>Paid ads on search engines.</summary>
    public const string PaidSearch = "paid_search";

    /// <summary>Paid ads on social networks.</summary>
    public const string PaidSocial = "paid_social";

    /// <summary>Paid ads on video sites.</summary>
    public const string PaidVideo = "paid_video";

    /// <summary>Display (banner) ads.</summary>
    public const string Display = "display";

    /// <summary>Any other paid medium.</summary>
    public const string PaidOther = "paid_other";

    /// <summary>Unpaid links from shopping sites.</summary>
    public const string OrganicShopping = "organic_shopping";

    /// <summary>Unpaid links from social networks.</summary>
    public const string OrganicSocial = "organic_social";

    /// <summary>Unpaid links from video sites.</summary>
    public const string OrganicVideo = "organic_video";

    /// <summary>Unpaid search results.</summary>
    public const string OrganicSearch = "organic_search";

    /// <summary>Links in e-mails.</summary>
    public const string Email = "email";

    /// <summary>Links on affiliate sites.</summary>
    public const string Affiliates = "affiliates";

    /// <summary>Links on other sites.</summary>
    public const string Referral = "referral";

    /// <summary>Ads on audio platforms (podcasts, streaming radio).</summary>
    public const string Audio = "audio";

    /// <summary>Links in text messages.</summary>
    public const string Sms = "sms";

    /// <summary>Mobile push notifications.</summary>
    public const string Push = "push";

    /// <summary>A phone call (medium <c>call</c>, <c>phone</c>).</summary>
    public const string OfflineCall = "offline_call";

    /// <summary>A meeting or visit in person (medium <c>meeting</c>, <c>visit</c>, <c>in_person</c>).</summary>
    public const string OfflineMeeting = "offline_meeting";

    /// <summary>An event, conference, webinar or trade show.</summary>
    public const string Event = "event";

    /// <summary>A recommendation by a friend, referral programme or invitation.</summary>
    public const string WordOfMouth = "word_of_mouth";

    /// <summary>No rule matched.</summary>
    public const string Unassigned = "unassigned";

    /// <summary>
    /// Spells a channel name the way Pretzel stores it: trimmed, lower case, every run of characters other
    /// than letters and digits replaced by one <c>_</c>, no leading or trailing <c>_</c>
    /// (<c>"Offline Call"</c>, <c>"offline-call"</c>, <c>"OFFLINE_CALL"</c> → <c>offline_call</c>).
    /// Words are not split at capitals: <c>"PaidSearch"</c> → <c>paidsearch</c>.
    /// Returns null when nothing is left. Returns <paramref name="value"/> itself when it is already spelled so.
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (value is null)
            return null;
        if (IsNormalized(value))
            return value.Length == 0 ? null : value;

        var builder = new System.Text.StringBuilder(value.Length);
        bool pendingSeparator = false;
        foreach (char c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSeparator && builder.Length > 0)
                    builder.Append('_');
                pendingSeparator = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSeparator = true;
            }
        }
        return builder.Length == 0 ? null : builder.ToString();
    }

    private static bool IsNormalized(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '_')
            {
                if (i == 0 || i == value.Length - 1 || value[i - 1] == '_')
                    return false;
            }
            else if (!char.IsLetterOrDigit(c) || char.ToLowerInvariant(c) != c)
            {
                return false;
            }
        }
        return true;
    }
}
