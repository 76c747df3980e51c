namespace Pretzel.Ingest.Demo;

/// <summary>
/// The channels the demo data plants. The generator never writes these names on web touches (it writes
/// raw UTM values and referrers, as real sources do); only offline and word-of-mouth touches carry an
/// explicit channel. <see cref="DemoChannels.Name"/> gives the normalised name each one should map to.
/// </summary>
internal enum DemoChannel
{
    Direct,
    OrganicSearch,
    PaidSearch,
    PaidSocial,
    OrganicSocial,
    Email,
    Referral,
    Display,
    Affiliates,
    OfflineCall,
    OfflineMeeting,
    Event,
    WordOfMouth,
}

/// <summary>Names of <see cref="DemoChannel"/> values.</summary>
internal static class DemoChannels
{
    private static readonly string[] Names =
    [
        "direct", "organic_search", "paid_search", "paid_social", "organic_social", "email", "referral",
        "display", "affiliates", "offline_call", "offline_meeting", "event", "word_of_mouth",
    ];

    /// <summary>The normalised channel name, e.g. <c>paid_search</c>.</summary>
    public static string Name(this DemoChannel channel) => Names[(int)channel];
}
