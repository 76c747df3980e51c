namespace Pretzel.Ingest.Demo;

/// <summary>
/// Raw marketing fields for a touch in each channel, as real sources send them: UTM values on tagged
/// links, a referrer for untagged search, social and partner links, nothing for direct, and an explicit
/// channel only for offline/CRM touches (and some word-of-mouth ones).
/// </summary>
internal static class DemoTouches
{
    public const string OwnSite = "https://www.pretzel.example";

    private static readonly DemoWeights<string> SearchReferrers = new(
        ("https://www.google.com/", 0.85), ("https://www.bing.com/", 0.10), ("https://duckduckgo.com/", 0.05));

    private static readonly DemoWeights<string> PaidSearchCampaigns = new(
        ("brand", 0.4), ("generic_journey_analytics", 0.4), ("competitor_terms", 0.2));

    private static readonly DemoWeights<string> PaidSearchTerms = new(
        ("pretzel analytics", 0.3), ("customer journey analytics", 0.3), ("funnel analysis tool", 0.2), ("marketing attribution software", 0.2));

    private static readonly DemoWeights<string> SocialSources = new(("facebook", 0.55), ("instagram", 0.25), ("linkedin", 0.20));

    private static readonly DemoWeights<string> SocialCampaigns = new(("spring_launch", 0.4), ("journey_webinar", 0.35), ("customer_stories", 0.25));

    private static readonly DemoWeights<string> SocialReferrers = new(
        ("https://t.co/", 0.3), ("https://www.linkedin.com/", 0.3), ("https://www.facebook.com/", 0.2), ("https://www.reddit.com/r/analytics/", 0.2));

    private static readonly DemoWeights<string> PartnerReferrers = new(
        ("https://blog.partner.example/post", 0.7), ("https://analytics-weekly.example/issue-42", 0.3));

    private static readonly DemoWeights<string> AffiliateSources = new(("cashback_club", 0.5), ("saas_deals", 0.5));

    private static readonly DemoWeights<string> DisplaySources = new(("google", 0.6), ("criteo", 0.4));

    public static DemoTouch Web(DemoChannel channel, DemoRandom rng, string? campaign = null) => channel switch
    {
        DemoChannel.OrganicSearch => new DemoTouch(Referrer: SearchReferrers.Pick(rng)),
        DemoChannel.PaidSearch => PaidSearch(rng),
        DemoChannel.PaidSocial => new DemoTouch(
            Source: SocialSources.Pick(rng),
            Medium: rng.Chance(0.7) ? "paid_social" : "cpc",
            Campaign: campaign ?? SocialCampaigns.Pick(rng),
            Content: rng.Chance(0.5) ? "carousel_a" : "video_b"),
        DemoChannel.OrganicSocial => new DemoTouch(Referrer: SocialReferrers.Pick(rng)),
        DemoChannel.Referral => new DemoTouch(Referrer: PartnerReferrers.Pick(rng)),
        DemoChannel.Display => new DemoTouch(Source: DisplaySources.Pick(rng), Medium: "display", Campaign: "retargeting", Content: "banner_300x250"),
        DemoChannel.Affiliates => new DemoTouch(Source: AffiliateSources.Pick(rng), Medium: "affiliate", Campaign: "partner_program"),
        DemoChannel.Email => Email(campaign ?? "newsletter"),
        DemoChannel.WordOfMouth => rng.Chance(0.75)
            ? new DemoTouch(Source: "friend", Medium: "word_of_mouth", Campaign: "refer_a_friend")
            : new DemoTouch(Channel: "word_of_mouth"),
        DemoChannel.OfflineCall => new DemoTouch(Channel: "offline_call"),
        DemoChannel.OfflineMeeting => new DemoTouch(Channel: "offline_meeting"),
        DemoChannel.Event => new DemoTouch(Channel: "event"),
        _ => default,
    };

    public static DemoTouch Email(string campaign) => new(Source: "newsletter", Medium: "email", Campaign: campaign);

    private static DemoTouch PaidSearch(DemoRandom rng)
    {
        var google = rng.Chance(0.85);
        return new DemoTouch(
            Source: google ? "google" : "bing",
            Medium: "cpc",
            Campaign: PaidSearchCampaigns.Pick(rng),
            Term: PaidSearchTerms.Pick(rng),
            Referrer: google ? "https://www.google.com/" : "https://www.bing.com/");
    }
}
