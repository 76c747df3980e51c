using Pretzel.Core.Events;
using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Tests.Channels;

public class ChannelRulesTouchTests
{
    [Theory]
    [InlineData(EventType.Identify)]
    [InlineData(EventType.Alias)]
    [InlineData(EventType.Group)]
    public void Normalize_IdentityMessage_GetsNoChannel(EventType type)
    {
        var e = Events.Marketing() with { Type = type };
        var normalized = ChannelRules.Default.Normalize(e);
        Assert.Null(normalized.Channel);
        Assert.Null(normalized.Source);
    }

    [Fact]
    public void Normalize_UntaggedTrackEvent_GetsNoChannelRatherThanDirect()
    {
        var e = Events.Marketing() with { Type = EventType.Track, Name = "purchase" };
        Assert.Null(ChannelRules.Default.Normalize(e).Channel);
    }

    [Fact]
    public void Normalize_UntaggedPageView_IsDirect()
    {
        var normalized = ChannelRules.Default.Normalize(Events.Marketing());
        Assert.Equal("direct", normalized.Channel);
        Assert.Equal("(direct)", normalized.Source);
    }

    [Fact]
    public void Normalize_TaggedTrackEvent_IsClassified()
    {
        var e = Events.Marketing(source: "newsletter", medium: "email") with { Type = EventType.Track, Name = "email_clicked" };
        Assert.Equal("email", ChannelRules.Default.Normalize(e).Channel);
    }
}

public class ChannelRulesInternalNavigationTests
{
    [Fact]
    public void Normalize_ReferrerIsTheSiteItself_GetsNoChannel()
    {
        var e = Events.Marketing(referrer: "https://www.shop.example/pricing", properties: "{\"url\":\"https://shop.example/checkout\"}");
        var normalized = ChannelRules.Default.Normalize(e);
        Assert.Null(normalized.Channel);
        Assert.Null(normalized.Source);
    }

    [Fact]
    public void Normalize_ReferrerIsAnotherSite_IsReferral()
    {
        var e = Events.Marketing(referrer: "https://blog.partner.example/post", properties: "{\"url\":\"https://shop.example/\"}");
        Assert.Equal("referral", ChannelRules.Default.Normalize(e).Channel);
    }

    [Fact]
    public void Normalize_InternalReferrerButTaggedUrl_KeepsTheTag()
    {
        var e = Events.Marketing(referrer: "https://shop.example/", properties: "{\"url\":\"https://shop.example/?utm_source=newsletter&utm_medium=email\"}");
        Assert.Equal("email", ChannelRules.Default.Normalize(e).Channel);
    }
}
