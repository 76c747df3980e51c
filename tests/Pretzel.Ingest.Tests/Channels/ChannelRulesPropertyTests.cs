using CsCheck;
using Pretzel.Core.Events;
using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Tests.Channels;

public sealed class ChannelRulesPropertyTests
{
    // Mostly-plausible values with the characters that matter to parsing, plus fully random strings.
    private static readonly Gen<string> Word = Gen.OneOf(
        Gen.OneOf("google", "Google ", "cpc", "email", "(direct)", "(none)", "facebook", "organic", "Offline Call", "shop", "cross-network", "", " "),
        Gen.Char["abcXYZ _-.:/?&=%+#@()İıßΣ0"].Array[0, 12].Select(c => new string(c)),
        Gen.String);

    private static readonly Gen<string> Url = Gen.Select(
        Gen.OneOf("https://", "http://www.", "//", "", "android-app://"),
        Word,
        Gen.OneOf("?utm_source=", "?utm_medium=", "/?gclid=", "?fbclid=", "?utm_campaign=", "#utm_source="),
        Word,
        (scheme, host, key, value) => $"{scheme}{host}.com{key}{Uri.EscapeDataString(value)}");

    private static readonly Gen<string> Properties = Gen.OneOf(
        Gen.Select(Gen.OneOf("utm_source", "utm_medium", "utm_campaign", "utm_term", "url", "referrer", "gclid", "fbclid", "msclkid", "search"), Gen.OneOf(Word, Url),
            (key, value) => $"{{\"{key}\":{System.Text.Json.JsonSerializer.Serialize(value)}}}"),
        Gen.Select(Url, url => $"{{\"url\":\"{url}\",\"utm_source\":null,\"x\":[1,{{\"a\":2}}]}}"),
        Word.Select(w => "{\"utm_" + w),
        Word);

    private static readonly Gen<Event> AnyEvent = Gen.Select(
        Gen.Select(Word.Null(0.5), Word.Null(0.5), Word.Null(0.6), Word.Null(0.7)),
        Gen.Select(Word.Null(0.7), Gen.OneOf(Url, Word).Null(0.5), Properties.Null(0.4), Word.Null(0.8)),
        (a, b) => Events.Marketing(source: a.Item1, medium: a.Item2, campaign: a.Item3, referrer: b.Item2, properties: b.Item3, channel: b.Item4)
            with { Content = a.Item4, Term = b.Item1 });

    [Fact]
    public void Normalize_IsIdempotent_AndNeverThrows() =>
        AnyEvent.Sample(e =>
        {
            var once = ChannelRules.Default.Normalize(e);
            var twice = ChannelRules.Default.Normalize(once);
            Assert.Equal(once, twice);
            // No channel only when the event says nothing about how the person came (identity messages,
            // untagged track events, clicks inside the site); then it carries no half-filled source either.
            if (string.IsNullOrEmpty(once.Channel))
            {
                Assert.True(string.IsNullOrWhiteSpace(e.Channel), "an explicit channel was dropped");
                if (once.Type is not (Pretzel.Core.Events.EventType.Identify or Pretzel.Core.Events.EventType.Alias or Pretzel.Core.Events.EventType.Group))
                {
                    Assert.True(string.IsNullOrWhiteSpace(once.Medium), $"medium '{once.Medium}' without a channel");
                }
            }
        }, iter: 20_000);
}
