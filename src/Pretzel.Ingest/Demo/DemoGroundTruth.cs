namespace Pretzel.Ingest.Demo;

/// <summary>
/// The effects planted in the demo data, as the exact probabilities the generator uses, so that analyses
/// can be checked against them. docs/demo-data.md explains each one and the shape they give.
/// Purchase probabilities are for a person who has identified (signed up, requested a demo, or is a
/// CRM lead); nobody buys without identifying.
/// </summary>
public static class DemoGroundTruth
{
    /// <summary>Share of first-time (not referred) people who come only for the job ads: they land on <c>careers</c>.</summary>
    public const double JobSeekerShare = 0.04;

    /// <summary>Share of first-time people in the sales-led (B2B) segment: demos, calls, meetings, events.</summary>
    public const double SalesLedShare = 0.15;

    /// <summary>Relative arrival rate of new people in August (a summer dip); every other month is 1.</summary>
    public const double AugustArrivalWeight = 0.5;

    /// <summary>
    /// Relative arrival rate of new people in November: the extra 0.8 all come from the
    /// <see cref="BurstCampaign"/> paid-social campaign (so 0.8/1.8 of November's new people).
    /// </summary>
    public const double NovemberArrivalWeight = 1.8;

    /// <summary>utm_campaign of the November paid-social burst.</summary>
    public const string BurstCampaign = "black_friday";

    /// <summary>
    /// Probability that a person is on the marketing email list once identified. Drawn independently of
    /// everything else; every such person opens the welcome email within an hour of opting in, before any purchase.
    /// </summary>
    public const double EmailOptIn = 0.45;

    /// <summary>The causal effect of email: being on the list (having email touches) multiplies the purchase probability by this.</summary>
    public const double EmailPurchaseFactor = 2.0;

    /// <summary>
    /// Share of people shown display retargeting: 1 to <see cref="DisplayMaxTouches"/> display click-through
    /// visits within <see cref="DisplayWindowDays"/> days of their first visit. Display has no effect on anything:
    /// these visits never contain a funnel step, never reach <c>careers</c>, and change no probability.
    /// </summary>
    public const double DisplayReach = 0.35;

    /// <summary>Most display visits one person gets.</summary>
    public const int DisplayMaxTouches = 4;

    /// <summary>Display visits fall within this many days after the first visit.</summary>
    public const int DisplayWindowDays = 45;

    /// <summary>The black hole: after a <c>careers</c> page view the person's data ends with this probability (nothing more, not even emails).</summary>
    public const double CareersExit = 0.90;

    /// <summary>Self-serve (B2C) purchase probability once signed up, without email.</summary>
    public const double SelfServePurchase = 0.14;

    /// <summary>
    /// The bright path: entered through organic search, viewed <c>pricing</c> before <c>demo_requested</c>,
    /// then got a sales call (<c>offline_call</c>): purchase probability without email.
    /// </summary>
    public const double BrightPathPurchase = 0.45;

    /// <summary>Sales-led purchase probability after a sales call, any other way in, without email.</summary>
    public const double SalesCallPurchase = 0.18;

    /// <summary>Sales-led purchase probability for an identified lead that never got a follow-up call, without email.</summary>
    public const double SalesNoCallPurchase = 0.04;

    /// <summary>Purchase probability of a referred friend once signed up, without email.</summary>
    public const double WordOfMouthPurchase = 0.40;

    /// <summary>Probability that a referred friend landing on <c>pricing</c> (not on <c>signup</c>) goes on to sign up.</summary>
    public const double WordOfMouthPricingSignUp = 0.8;

    /// <summary>Share of referred friends whose first touch is the <c>signup</c> page (the rest land on <c>pricing</c>).</summary>
    public const double WordOfMouthSignUpLanding = 0.6;

    /// <summary>Sales-led: probability of requesting a demo after having seen <c>pricing</c>.</summary>
    public const double DemoAfterPricing = 0.40;

    /// <summary>Sales-led: probability of requesting a demo without having seen <c>pricing</c>.</summary>
    public const double DemoWithoutPricing = 0.12;

    /// <summary>Sales-led: probability that a demo request gets a sales call (1 to 4 days later).</summary>
    public const double CallAfterDemo = 0.85;

    /// <summary>Share of identified web people who also use a second device (a second anonymous id, identified at login).</summary>
    public const double SecondDeviceShare = 0.20;

    /// <summary>Share of people who vanish for <see cref="DormantMinDays"/>–<see cref="DormantMaxDays"/> days once and return through another channel.</summary>
    public const double DormantShare = 0.20;

    /// <summary>Shortest dormant gap, days.</summary>
    public const int DormantMinDays = 60;

    /// <summary>Longest dormant gap, days.</summary>
    public const int DormantMaxDays = 180;

    /// <summary>Probability that a purchase is refunded (1–14 days later, for its full amount); the customer then cancels.</summary>
    public const double RefundRate = 0.05;

    /// <summary>Probability that a customer whose first purchase was not refunded churns before a second one.</summary>
    public const double FirstPurchaseChurn = 0.40;

    /// <summary>Probability of churning after each later purchase.</summary>
    public const double RepeatPurchaseChurn = 0.20;

    /// <summary>A customer with this many purchases is loyal: may review and refer friends.</summary>
    public const int LoyalPurchases = 3;

    /// <summary>Probability that a loyal customer leaves a (4 or 5 star) review.</summary>
    public const double LoyalReview = 0.40;

    /// <summary>Probability that a loyal customer becomes an advocate and sends 1 to 4 referrals.</summary>
    public const double AdvocateShare = 0.60;

    /// <summary>Probability that a referred friend comes (1 to 21 days after <c>referral_sent</c>), as a new person.</summary>
    public const double FriendJoins = 0.65;

    /// <summary>
    /// Self-serve: probability of signing up (identifying) by the channel of the first visit. People who do
    /// not sign up stay anonymous for good.
    /// </summary>
    public static IReadOnlyDictionary<string, double> SelfServeSignUpByEntryChannel { get; } = new Dictionary<string, double>
    {
        ["organic_search"] = 0.40,
        ["paid_search"] = 0.42,
        ["paid_social"] = 0.30,
        ["organic_social"] = 0.30,
        ["direct"] = 0.42,
        ["referral"] = 0.40,
        ["affiliates"] = 0.38,
    };

    /// <summary>
    /// What one paid visit costs in the demo (EUR), by channel and campaign; null for unpaid channels. Search
    /// brand terms are cheap and generic or competitor terms dear; display retargeting is cheap per visit and,
    /// having no effect on anything (see <see cref="DisplayReach"/>), pure waste.
    /// </summary>
    public static double? PricePerVisit(string channel, string? campaign) => (channel, campaign) switch
    {
        ("paid_search", "brand") => 0.60,
        ("paid_search", "competitor_terms") => 3.40,
        ("paid_search", _) => 2.20,
        ("paid_social", _) => 1.10,
        ("display", _) => 0.45,
        ("affiliates", _) => 4.00,
        _ => null,
    };
}
