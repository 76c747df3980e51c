using Pretzel.Core.Events;
using Pretzel.Core.Identity;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// The contract fixture: a small, hand-counted set of events that every store must answer identically.
/// <list type="bullet">
/// <item>alice browses on two devices (laptop, mobile: on different shards of the test cluster) anonymously in batch 1; both are identified as
/// <c>alice</c> only in batch 2 (a late identify), so her batch-1 events belong to her afterwards;</item>
/// <item>bob is identified as <c>bob-old</c>, then aliased to <c>bob</c> (an alias whose previous id is a
/// user id, since <c>bob-old</c> appears as one);</item>
/// <item>carol's device is aliased to <c>carol</c> (previous id anonymous), and her purchase arrives
/// server-side with the user id only;</item>
/// <item>dave stays anonymous, with Unicode names and JSON holding escapes; eve exists server-side only,
/// with a refund;</item>
/// <item>duplicates inside each batch and across batches, re-sent with other content: the first wins.</item>
/// </list>
/// </summary>
internal static class ContractEvents
{
    public static readonly DateTime T0 = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    public static readonly string[] ConversionEvents = ["purchase", "order_completed"];

    private static Event E(string id, EventType type, string? name, TimeSpan at, string? anonymousId = null, string? userId = null) => new()
    {
        MessageId = id,
        Type = type,
        Name = name,
        Timestamp = T0 + at,
        ReceivedAt = T0 + at + TimeSpan.FromSeconds(2),
        AnonymousId = anonymousId,
        UserId = userId,
    };

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    private static TimeSpan Day(int days, double minutes = 0) => TimeSpan.FromDays(days) + TimeSpan.FromMinutes(minutes);

    /// <summary>The first append: 12 events, one of them a duplicate within the batch.</summary>
    public static IReadOnlyList<Event> Batch1 { get; } =
    [
        E("b1-01", EventType.Page, "Home", Min(0), "dev-alice-laptop") with
        {
            Channel = "paid_search", Source = "google", Medium = "cpc", Campaign = "spring", Term = "pretzel maker",
            Referrer = "https://www.google.com/search?q=pretzel+maker",
        },
        E("b1-02", EventType.Track, "product_viewed", Min(2), "dev-alice-laptop") with
        {
            Channel = "paid_search", Source = "google", Medium = "cpc", Campaign = "spring",
            Properties = """{"sku":"P-1","price":49.9}""",
        },
        E("b1-03", EventType.Page, "Home", Min(60), "dev-alice-mobile") with { Channel = "social", Source = "instagram", Medium = "social" },
        E("b1-04", EventType.Track, "add_to_cart", Min(65), "dev-alice-mobile") with
        {
            Channel = "social", Properties = """{"note":"für 🥨","qty":2}""",
        },
        E("b1-05", EventType.Page, "Home", Min(10), "dev-bob") with { Channel = "email", Source = "newsletter", Medium = "email", Campaign = "newsletter-03", Content = "hero" },
        E("b1-06", EventType.Identify, null, Min(12), "dev-bob", "bob-old") with { Properties = """{"email":"bob@example.com"}""" },
        E("b1-07", EventType.Track, "purchase", Min(20), "dev-bob", "bob-old") with { Revenue = 30.0, Currency = "EUR" },
        E("b1-08", EventType.Page, "Pricing", Min(30), "dev-carol") with { Channel = "organic_search", Source = "bing", Medium = "organic" },
        E("b1-09", EventType.Page, "Café ☕", Min(40) + TimeSpan.FromTicks(1_234_560), "dev-dave") with
        {
            Channel = "direct", Properties = """{"q":"a\tb\nc\\d","emoji":"🥨","quote":"\"x\""}""",
        },
        E("b1-04", EventType.Track, "add_to_cart_dup", Min(66), "dev-alice-mobile"),
        E("b1-10", EventType.Track, "order_completed", Min(50), userId: "eve") with { Revenue = 120.5, Currency = "USD", Campaign = "" },
        E("b1-11", EventType.Track, "refund", Min(55), userId: "eve") with { Revenue = -20.25, Currency = "USD" },
    ];

    /// <summary>The second append: 11 events; two re-send batch-1 ids and one repeats within the batch.</summary>
    public static IReadOnlyList<Event> Batch2 { get; } =
    [
        E("b2-01", EventType.Identify, null, Day(1), "dev-alice-laptop", "alice"),
        E("b2-02", EventType.Identify, null, Day(1, 60), "dev-alice-mobile", "alice"),
        E("b2-03", EventType.Track, "purchase", Day(1, 120), "dev-alice-laptop", "alice") with { Channel = "email", Revenue = 49.9, Currency = "EUR" },
        E("b2-04", EventType.Alias, null, Day(1), userId: "bob") with { PreviousId = "bob-old" },
        E("b2-05", EventType.Track, "purchase", Day(1, 5), userId: "bob") with { Revenue = 15.0, Currency = "EUR" },
        E("b2-06", EventType.Alias, null, Day(1, 10), userId: "carol") with { PreviousId = "dev-carol" },
        E("b2-07", EventType.Track, "order_completed", Day(1, 20), userId: "carol") with { Revenue = 80.0, Currency = "EUR", GroupId = "carol-co" },
        E("b1-02", EventType.Track, "product_viewed_resent", Day(1, 30), "dev-alice-laptop"),
        E("b1-08", EventType.Page, "Pricing (resent)", Day(1, 31), "dev-carol"),
        E("b2-08", EventType.Page, "Home", Day(2) + TimeSpan.FromTicks(6_543_210), "dev-dave") with { Channel = "direct" },
        E("b2-08", EventType.Page, "Home (again)", Day(2, 1), "dev-dave"),
    ];

    /// <summary>What a store holds after both batches: the first occurrence of each id, empty text as null.</summary>
    public static IReadOnlyList<Event> Stored { get; } = Batch1.Concat(Batch2)
        .DistinctBy(e => e.MessageId)
        .Select(e => e with { Campaign = string.IsNullOrEmpty(e.Campaign) ? null : e.Campaign })
        .OrderBy(e => e.MessageId, StringComparer.Ordinal)
        .ToList();

    public const long Events = 19;
    public const long People = 5;
    public const long Channels = 5;
    public const long Conversions = 5;
    public const double Revenue = 30.0 + 120.5 - 20.25 + 49.9 + 15.0 + 80.0;
    public static readonly DateTime FirstEvent = T0;
    public static readonly DateTime LastEvent = T0 + Day(2) + TimeSpan.FromTicks(6_543_210);

    /// <summary>Every link the stored events give (an alias's previous id is a user id when it appears as one).</summary>
    public static IReadOnlyList<IdentityLink> Links { get; } =
    [
        new(new Identity(IdentityKind.Anonymous, "dev-bob"), new Identity(IdentityKind.User, "bob-old")),
        new(new Identity(IdentityKind.Anonymous, "dev-alice-laptop"), new Identity(IdentityKind.User, "alice")),
        new(new Identity(IdentityKind.Anonymous, "dev-alice-mobile"), new Identity(IdentityKind.User, "alice")),
        new(new Identity(IdentityKind.User, "bob-old"), new Identity(IdentityKind.User, "bob")),
        new(new Identity(IdentityKind.Anonymous, "dev-carol"), new Identity(IdentityKind.User, "carol")),
    ];

    /// <summary>The identity map after stitching, as <c>kind|id|person_id</c> ordered by kind, id.</summary>
    public static IReadOnlyList<string> IdentityMap { get; } =
    [
        "anonymous|dev-alice-laptop|alice",
        "anonymous|dev-alice-mobile|alice",
        "anonymous|dev-bob|bob",
        "anonymous|dev-carol|carol",
        "user|alice|alice",
        "user|bob|bob",
        "user|bob-old|bob",
        "user|carol|carol",
    ];

    /// <summary>Events per person, as <c>person|count</c> ordered by person.</summary>
    public static IReadOnlyList<string> EventsPerPerson { get; } =
    [
        "alice|7",
        "anon:dev-dave|2",
        "bob|5",
        "carol|3",
        "eve|2",
    ];

    /// <summary>Events per name, as <c>event|count</c> in ORDER BY event order (NULL last).</summary>
    public static IReadOnlyList<string> EventsPerName { get; } =
    [
        "Café ☕|1",
        "Home|4",
        "Pricing|1",
        "add_to_cart|1",
        "order_completed|2",
        "product_viewed|1",
        "purchase|3",
        "refund|1",
        "NULL|5",
    ];
}
