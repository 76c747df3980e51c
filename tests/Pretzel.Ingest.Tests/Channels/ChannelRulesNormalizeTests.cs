using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Tests.Channels;

public sealed class ChannelRulesNormalizeTests
{
    private static readonly ChannelRules Rules = ChannelRules.Default;

    [Theory]
    [InlineData("Offline Call", "offline_call")]
    [InlineData("  PAID-search ", "paid_search")]
    [InlineData("partner webinars", "partner_webinars")]
    [InlineData("email", "email")]
    public void Normalize_ExplicitChannel_IsKeptInSnakeCase(string channel, string expected)
    {
        var normalized = Rules.Normalize(Events.Marketing(source: "google", medium: "cpc", channel: channel));

        Assert.Equal(expected, normalized.Channel);
        Assert.Equal("google", normalized.Source);
    }

    [Fact]
    public void Normalize_BlankExplicitChannel_IsClassified()
    {
        var normalized = Rules.Normalize(Events.Marketing(source: "google", medium: "cpc", channel: " - "));

        Assert.Equal("paid_search", normalized.Channel);
    }

    [Fact]
    public void Normalize_UtmProperties_FillFields()
    {
        var input = Events.Marketing(properties: """
            {"plan":"pro","utm_source":" Newsletter ","utm_medium":"Email","utm_campaign":" Spring Sale ","utm_content":"Hero","utm_term":"Pretzels","nested":{"utm_source":"ignored"}}
            """);

        var normalized = Rules.Normalize(input);

        Assert.Equal("newsletter", normalized.Source);
        Assert.Equal("email", normalized.Medium);
        Assert.Equal("Spring Sale", normalized.Campaign);
        Assert.Equal("Hero", normalized.Content);
        Assert.Equal("Pretzels", normalized.Term);
        Assert.Equal("email", normalized.Channel);
    }

    [Fact]
    public void Normalize_OwnFields_WinOverProperties()
    {
        var input = Events.Marketing(source: "google", properties: """{"utm_source":"bing","utm_medium":"cpc"}""");

        var normalized = Rules.Normalize(input);

        Assert.Equal("google", normalized.Source);
        Assert.Equal("cpc", normalized.Medium);
        Assert.Equal("paid_search", normalized.Channel);
    }

    [Fact]
    public void Normalize_UtmInUrlProperty_FillFields()
    {
        var input = Events.Marketing(properties: """
            {"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=Brand%20Terms&utm_term=salt+pretzel#top"}
            """);

        var normalized = Rules.Normalize(input);

        Assert.Equal("google", normalized.Source);
        Assert.Equal("cpc", normalized.Medium);
        Assert.Equal("Brand Terms", normalized.Campaign);
        Assert.Equal("salt pretzel", normalized.Term);
        Assert.Equal("paid_search", normalized.Channel);
    }

    [Fact]
    public void Normalize_UtmProperties_WinOverUrl()
    {
        var input = Events.Marketing(properties: """{"url":"https://shop.example/?utm_source=bing&utm_medium=cpc","utm_source":"newsletter"}""");

        var normalized = Rules.Normalize(input);

        Assert.Equal("newsletter", normalized.Source);
        Assert.Equal("cpc", normalized.Medium);
    }

    [Fact]
    public void Normalize_SearchProperty_IsReadAsQuery()
    {
        var normalized = Rules.Normalize(Events.Marketing(properties: """{"search":"?utm_source=newsletter&utm_medium=email"}"""));

        Assert.Equal("email", normalized.Channel);
    }

    [Theory]
    [InlineData("""{"gclid":"abc"}""", "google", "cpc", "paid_search")]
    [InlineData("""{"url":"https://shop.example/?gbraid=xyz"}""", "google", "cpc", "paid_search")]
    [InlineData("""{"url":"https://shop.example/?msclkid=abc"}""", "bing", "cpc", "paid_search")]
    [InlineData("""{"fbclid":"abc"}""", "facebook", "social", "organic_social")]
    [InlineData("""{"fbclid":"abc","utm_medium":"paid_social"}""", "facebook", "paid_social", "paid_social")]
    [InlineData("""{"ttclid":"abc"}""", "tiktok", "cpc", "paid_social")]
    [InlineData("""{"dclid":"abc"}""", "google", "display", "display")]
    [InlineData("""{"gclid":"abc","utm_source":"partner","utm_medium":"email"}""", "partner", "email", "email")]
    public void Normalize_ClickIds_ImplySourceAndMedium(string properties, string source, string medium, string channel)
    {
        var normalized = Rules.Normalize(Events.Marketing(properties: properties));

        Assert.Equal((source, medium, channel), (normalized.Source, normalized.Medium, normalized.Channel));
    }

    [Fact]
    public void Normalize_Referrer_BecomesSourceAndMedium()
    {
        var normalized = Rules.Normalize(Events.Marketing(referrer: "https://user@WWW.Google.com:443/search?q=x"));

        Assert.Equal("google.com", normalized.Source);
        Assert.Equal("organic", normalized.Medium);
        Assert.Equal("organic_search", normalized.Channel);
    }

    [Theory]
    [InlineData("https://www.linkedin.com/feed/", "linkedin.com", "social", "organic_social")]
    [InlineData("https://blog.example.org/a", "blog.example.org", "referral", "referral")]
    [InlineData("android-app://com.google.android.googlequicksearchbox/", "com.google.android.googlequicksearchbox", "organic", "organic_search")]
    [InlineData("bing.com/search?q=x", "bing.com", "organic", "organic_search")]
    public void Normalize_Referrer_MediumByKindOfSite(string referrer, string source, string medium, string channel)
    {
        var normalized = Rules.Normalize(Events.Marketing(referrer: referrer));

        Assert.Equal((source, medium, channel), (normalized.Source, normalized.Medium, normalized.Channel));
    }

    [Fact]
    public void Normalize_ReferrerProperty_IsUsedWhenFieldIsEmpty()
    {
        var normalized = Rules.Normalize(Events.Marketing(properties: """{"referrer":"https://www.bing.com/"}"""));

        Assert.Equal("bing.com", normalized.Source);
        Assert.Equal("organic_search", normalized.Channel);
    }

    [Fact]
    public void Normalize_TaggedUrl_WinsOverReferrer()
    {
        var input = Events.Marketing(referrer: "https://www.google.com/", properties: """{"utm_source":"newsletter","utm_medium":"email"}""");

        var normalized = Rules.Normalize(input);

        Assert.Equal("newsletter", normalized.Source);
        Assert.Equal("email", normalized.Channel);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, """{"plan":"pro","price":9.5}""")]
    [InlineData("", "{not json utm_source")]
    [InlineData("(direct)", "[\"utm_source\"]")]
    [InlineData("   ", """{"url":"https://shop.example/cart"}""")]
    public void Normalize_NoTagsNoReferrer_IsDirect(string? referrer, string? properties)
    {
        var normalized = Rules.Normalize(Events.Marketing(referrer: referrer, properties: properties));

        Assert.Equal(("(direct)", "(none)", "direct"), (normalized.Source, normalized.Medium, normalized.Channel));
    }

    [Fact]
    public void Normalize_MediumWithoutSourceOrReferrer_KeepsSourceEmpty()
    {
        var normalized = Rules.Normalize(Events.Marketing(medium: "Call"));

        Assert.Null(normalized.Source);
        Assert.Equal("call", normalized.Medium);
        Assert.Equal("offline_call", normalized.Channel);
    }

    [Fact]
    public void Normalize_BlankFields_BecomeNull()
    {
        var normalized = Rules.Normalize(Events.Marketing(source: "  ", medium: "", campaign: " "));

        Assert.Null(normalized.Campaign);
        Assert.Equal("(direct)", normalized.Source);
    }

    [Fact]
    public void Normalize_AlreadyNormalized_ReturnsSameInstance()
    {
        var once = Rules.Normalize(Events.Marketing(source: "Google", medium: "CPC", campaign: "Brand"));

        Assert.Same(once, Rules.Normalize(once));
    }

    [Fact]
    public void Normalize_ManyDistinctTuples_StaysCorrectPastTheCacheBound()
    {
        for (int i = 0; i < 20_000; i++)
            Assert.Equal("paid_search", Rules.Classify("google", "cpc", $"campaign-{i}"));
    }
}
