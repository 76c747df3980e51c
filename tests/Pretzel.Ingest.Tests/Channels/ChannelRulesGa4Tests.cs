using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Tests.Channels;

/// <summary>The default rules against GA4's default channel group (support.google.com/analytics/answer/9756891).</summary>
public sealed class ChannelRulesGa4Tests
{
    [Theory]
    // Direct: (direct) / (none), or nothing at all.
    [InlineData(null, null, null, null, "direct")]
    [InlineData("(direct)", "(none)", null, null, "direct")]
    [InlineData("(direct)", "(not set)", null, null, "direct")]
    // Cross-network: campaign contains "cross-network", whatever the source.
    [InlineData("google", "cpc", "pmax-cross-network-emea", null, "cross_network")]
    // Paid shopping: shopping site or shopping campaign, paid medium.
    [InlineData("amazon", "cpc", null, null, "paid_shopping")]
    [InlineData("google", "cpc", "Summer Shopping", null, "paid_shopping")]
    [InlineData("google", "ppc", "shop_launch", null, "paid_shopping")]
    // Paid search: search site, paid medium (.*cp.*, ppc, retargeting, paid.*).
    [InlineData("google", "cpc", "brand", null, "paid_search")]
    [InlineData("Google", "CPC", null, null, "paid_search")]
    [InlineData("bing", "ppc", null, null, "paid_search")]
    [InlineData("google", "paid_search", null, null, "paid_search")]
    [InlineData("yahoo", "retargeting", null, null, "paid_search")]
    [InlineData("duckduckgo.com", "cpc", null, null, "paid_search")]
    // Paid social.
    [InlineData("facebook", "cpc", null, null, "paid_social")]
    [InlineData("ig", "paid_social", null, null, "paid_social")]
    [InlineData("linkedin", "cpm", null, null, "paid_social")]
    [InlineData("m.facebook.com", "paid", null, null, "paid_social")]
    // Paid video.
    [InlineData("youtube", "cpv", null, null, "paid_video")]
    [InlineData("vimeo.com", "paid", null, null, "paid_video")]
    // Display: display, banner, expandable, interstitial, cpm (when the source is no known site).
    [InlineData("adnetwork", "display", null, null, "display")]
    [InlineData("adnetwork", "banner", null, null, "display")]
    [InlineData("adnetwork", "interstitial", null, null, "display")]
    [InlineData("adnetwork", "cpm", null, null, "display")]
    // Paid other.
    [InlineData("adnetwork", "cpa", null, null, "paid_other")]
    [InlineData("partner", "paid", null, null, "paid_other")]
    // Organic shopping.
    [InlineData("amazon", "referral", null, null, "organic_shopping")]
    [InlineData("blog", "link", "Black Friday shop", null, "organic_shopping")]
    // Organic social.
    [InlineData("facebook", "social", null, null, "organic_social")]
    [InlineData("forum", "social-network", null, null, "organic_social")]
    [InlineData("t.co", "referral", null, null, "organic_social")]
    [InlineData("forum", "sm", null, null, "organic_social")]
    // Organic video.
    [InlineData("youtube", "referral", null, null, "organic_video")]
    [InlineData("partner", "video", null, null, "organic_video")]
    // Organic search.
    [InlineData("google", "organic", null, null, "organic_search")]
    [InlineData("anything", "organic", null, null, "organic_search")]
    [InlineData("google.co.uk", "referral", null, null, "organic_search")]
    // Email.
    [InlineData("newsletter", "email", null, null, "email")]
    [InlineData("newsletter", "e-mail", null, null, "email")]
    [InlineData("email", null, null, null, "email")]
    // Affiliates, referral, audio, SMS, push.
    [InlineData("partner", "affiliate", null, null, "affiliates")]
    [InlineData("blog.example.org", "referral", null, null, "referral")]
    [InlineData("partner", "app", null, null, "referral")]
    [InlineData("spotify", "audio", null, null, "audio")]
    [InlineData("sms", null, null, null, "sms")]
    [InlineData("twilio", "sms", null, null, "sms")]
    [InlineData("firebase", null, null, null, "push")]
    [InlineData("onesignal", "web_push", null, null, "push")]
    [InlineData("app", "mobile_notification", null, null, "push")]
    // Offline channels.
    [InlineData("crm", "call", null, null, "offline_call")]
    [InlineData(null, "phone", null, null, "offline_call")]
    [InlineData("crm", "in_person", null, null, "offline_meeting")]
    [InlineData("crm", "visit", null, null, "offline_meeting")]
    [InlineData("crm", "webinar", null, null, "event")]
    [InlineData("crm", "trade show", null, null, "event")]
    [InlineData("google", "conference", null, null, "event")]
    [InlineData("crm", "word_of_mouth", null, null, "word_of_mouth")]
    [InlineData("crm", "referral_program", null, null, "word_of_mouth")]
    // From the referrer.
    [InlineData(null, null, null, "https://www.google.de/search?q=pretzel", "organic_search")]
    [InlineData(null, null, null, "https://duckduckgo.com/", "organic_search")]
    [InlineData(null, null, null, "https://m.facebook.com/", "organic_social")]
    [InlineData(null, null, null, "https://news.ycombinator.com/item?id=1", "organic_social")]
    [InlineData(null, null, null, "https://www.youtube.com/watch?v=x", "organic_video")]
    [InlineData(null, null, null, "https://blog.example.org/post", "referral")]
    // Nothing matches.
    [InlineData("partner", "newsletter-ish", null, null, "unassigned")]
    [InlineData("partner", null, null, null, "unassigned")]
    public void Normalize_Default_FollowsGa4(string? source, string? medium, string? campaign, string? referrer, string expected)
    {
        var normalized = ChannelRules.Default.Normalize(Events.Marketing(source, medium, campaign, referrer));

        Assert.Equal(expected, normalized.Channel);
    }

    [Fact]
    public void Classify_RulesAreTriedInOrder_FirstMatchWins()
    {
        // google + cpm: paid_search comes before display.
        Assert.Equal(ChannelNames.PaidSearch, ChannelRules.Default.Classify("google", "cpm", null));
        // email source with a referral medium: email comes before referral.
        Assert.Equal(ChannelNames.Email, ChannelRules.Default.Classify("email", "referral", null));
    }
}
