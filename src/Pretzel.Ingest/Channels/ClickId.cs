namespace Pretzel.Ingest.Channels;

/// <summary>Ad-platform click ids found on an event; each implies a source and medium when none is tagged.</summary>
[Flags]
internal enum ClickId
{
    None = 0,

    /// <summary><c>gclid</c>, <c>gbraid</c>, <c>wbraid</c>: Google Ads → google / cpc.</summary>
    Google = 1,

    /// <summary><c>dclid</c>: Display &amp; Video 360 / Campaign Manager → google / display.</summary>
    GoogleDisplay = 2,

    /// <summary><c>msclkid</c>: Microsoft Advertising → bing / cpc.</summary>
    Microsoft = 4,

    /// <summary><c>ttclid</c>: TikTok ads → tiktok / cpc.</summary>
    TikTok = 8,

    /// <summary><c>twclid</c>: X (Twitter) ads → twitter / cpc.</summary>
    Twitter = 16,

    /// <summary><c>fbclid</c>: any link from Facebook or Instagram → facebook / social unless a medium is tagged.</summary>
    Facebook = 32,
}
