namespace Pretzel.Ingest.Channels;

/// <summary>
/// The built-in rules: GA4's default channel group (https://support.google.com/analytics/answer/9756891)
/// with offline channels inserted after <c>direct</c>. docs/channels.md lists them in this order; keep both in step.
/// </summary>
internal static class DefaultChannelRules
{
    /// <summary>GA4's "paid" medium: anything with "cp" in it (cpc, cpm, cpa, cpv), ppc, retargeting, paid*.</summary>
    internal const string PaidMedium = "^(.*cp.*|ppc|retargeting|paid.*)$";

    /// <summary>GA4's shopping campaign: a word starting with "shop" (not "eshop"-like mid-word), or "shopping".</summary>
    internal const string ShoppingCampaign = "^(.*(([^a-df-z]|^)shop|shopping).*)$";

    internal const string Search = "search";
    internal const string Social = "social";
    internal const string Video = "video";
    internal const string Shopping = "shopping";

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> SourceCategories { get; } =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [Search] =
            [
                "google", "bing", "yahoo", "duckduckgo", "yandex", "baidu", "ecosia", "naver", "seznam", "ask", "aol",
                "startpage", "qwant", "sogou", "daum", "so.com", "search.brave.com", "search.msn.com",
                "com.google.android.googlequicksearchbox", "googlequicksearchbox", "yahoo.co.jp", "onet.pl", "rambler",
            ],
            [Social] =
            [
                "facebook", "fb", "instagram", "ig", "linkedin", "lnkd.in", "twitter", "x", "t.co", "pinterest", "reddit",
                "tiktok", "snapchat", "tumblr", "vk", "weibo", "quora", "threads.net", "mastodon.social", "bsky.app",
                "discord", "t.me", "telegram", "whatsapp", "messenger", "line.me", "wechat", "xing", "meetup",
                "medium.com", "news.ycombinator.com", "slack", "nextdoor",
            ],
            [Video] =
            [
                "youtube", "youtu.be", "vimeo", "twitch", "dailymotion", "wistia", "youku", "bilibili", "netflix",
                "rumble", "vevo",
            ],
            [Shopping] =
            [
                "amazon", "ebay", "etsy", "walmart", "shopify", "alibaba", "aliexpress", "rakuten", "zalando",
                "mercadolibre", "shopping.google.com", "shopping.yahoo.com", "google shopping", "igshopping",
                "shopzilla", "idealo", "pricerunner",
            ],
        };

    public static IReadOnlyList<ChannelRule> Rules { get; } =
    [
        Rule(ChannelNames.Direct, new()
        {
            Source = ValueMatcher.OneOf("(direct)"),
            Medium = ValueMatcher.Pattern(@"^(\(none\)|\(not set\))?$"),
        }),
        Rule(ChannelNames.OfflineCall, new() { Medium = ValueMatcher.Pattern("^(call|calls|phone|phone[ _-]?call|telephone)$") }),
        Rule(ChannelNames.OfflineMeeting, new()
        {
            Medium = ValueMatcher.Pattern("^(meeting|visit|in[ _-]?person|store[ _-]?visit|appointment)$"),
        }),
        Rule(ChannelNames.Event, new()
        {
            Medium = ValueMatcher.Pattern("^(event|events|conference|webinar|trade[ _-]?show|expo|fair)$"),
        }),
        Rule(ChannelNames.WordOfMouth, new()
        {
            Medium = ValueMatcher.Pattern("^(word[ _-]?of[ _-]?mouth|wom|friend|referral[ _-]?program(me)?|invite|recommendation)$"),
        }),
        Rule(ChannelNames.CrossNetwork, new() { Campaign = ValueMatcher.Pattern("cross-network") }),
        Rule(ChannelNames.PaidShopping, new()
        {
            Medium = ValueMatcher.Pattern(PaidMedium),
            Any = [new() { SourceCategories = [Shopping] }, new() { Campaign = ValueMatcher.Pattern(ShoppingCampaign) }],
        }),
        Rule(ChannelNames.PaidSearch, new() { SourceCategories = [Search], Medium = ValueMatcher.Pattern(PaidMedium) }),
        Rule(ChannelNames.PaidSocial, new() { SourceCategories = [Social], Medium = ValueMatcher.Pattern(PaidMedium) }),
        Rule(ChannelNames.PaidVideo, new() { SourceCategories = [Video], Medium = ValueMatcher.Pattern(PaidMedium) }),
        Rule(ChannelNames.Display, new() { Medium = ValueMatcher.OneOf("display", "banner", "expandable", "interstitial", "cpm") }),
        Rule(ChannelNames.PaidOther, new() { Medium = ValueMatcher.Pattern(PaidMedium) }),
        Rule(ChannelNames.OrganicShopping, new()
        {
            Any = [new() { SourceCategories = [Shopping] }, new() { Campaign = ValueMatcher.Pattern(ShoppingCampaign) }],
        }),
        Rule(ChannelNames.OrganicSocial, new()
        {
            Any =
            [
                new() { SourceCategories = [Social] },
                new() { Medium = ValueMatcher.OneOf("social", "social-network", "social-media", "sm", "social network", "social media") },
            ],
        }),
        Rule(ChannelNames.OrganicVideo, new()
        {
            Any = [new() { SourceCategories = [Video] }, new() { Medium = ValueMatcher.Pattern("^(.*video.*)$") }],
        }),
        Rule(ChannelNames.OrganicSearch, new()
        {
            Any = [new() { SourceCategories = [Search] }, new() { Medium = ValueMatcher.OneOf("organic") }],
        }),
        Rule(ChannelNames.Email, new()
        {
            Any =
            [
                new() { Source = ValueMatcher.OneOf("email", "e-mail", "e_mail", "e mail") },
                new() { Medium = ValueMatcher.OneOf("email", "e-mail", "e_mail", "e mail") },
            ],
        }),
        Rule(ChannelNames.Affiliates, new() { Medium = ValueMatcher.OneOf("affiliate") }),
        Rule(ChannelNames.Referral, new() { Medium = ValueMatcher.OneOf("referral", "app", "link") }),
        Rule(ChannelNames.Audio, new() { Medium = ValueMatcher.OneOf("audio") }),
        Rule(ChannelNames.Sms, new()
        {
            Any = [new() { Source = ValueMatcher.OneOf("sms") }, new() { Medium = ValueMatcher.OneOf("sms") }],
        }),
        Rule(ChannelNames.Push, new()
        {
            Any = [new() { Medium = ValueMatcher.Pattern("(push$|mobile|notification)") }, new() { Source = ValueMatcher.OneOf("firebase") }],
        }),
    ];

    private static ChannelRule Rule(string channel, ChannelCondition when) => new(channel, when);
}
