using System.Text.Json;
using CsCheck;
using Pretzel.Core.Events;
using Pretzel.Ingest.Demo;

namespace Pretzel.Ingest.Tests.Demo;

public sealed class DemoGeneratorValidityTests
{
    private static readonly HashSet<string> Channels =
    [
        "paid_search", "organic_search", "paid_social", "organic_social", "email", "referral", "display", "direct",
        "affiliates", "offline_call", "offline_meeting", "event", "word_of_mouth",
    ];

    private static readonly HashSet<string> TrackNames =
    [
        "product_viewed", "sign_up", "trial_started", "demo_requested", "add_to_cart", "checkout_started", "purchase",
        "refund", "support_contact", "review_left", "referral_sent", "email_opened", "email_clicked", "unsubscribe",
        "churned", "subscription_cancelled", "refused", "newsletter_signup", "sales_call", "sales_meeting", "event_attended",
    ];

    private static readonly HashSet<string> PageNames =
        ["home", "blog", "pricing", "features", "docs", "careers", "signup", "login", "demo", "account"];

    [Fact]
    public void Generate_DefaultStart_EveryEventIsValid()
    {
        var options = new DemoOptions { People = 3_000, Seed = 5 };
        AssertValid(options, new DemoGenerator(options).Generate().ToList());
    }

    [Fact]
    public void Generate_RandomOptions_EveryEventIsValid()
    {
        var gen =
            from people in Gen.Int[1, 150]
            from seed in Gen.Int
            from days in Gen.OneOf(Gen.Int[30, 120], Gen.Int[30, 3650])
            from start in Gen.Date[new DateTime(2000, 1, 1), new DateTime(2090, 1, 1)]
            from seconds in Gen.Int[0, 86_399]
            select new DemoOptions
            {
                People = people,
                Seed = seed,
                Days = days,
                Start = DateTime.SpecifyKind(start.AddSeconds(seconds), DateTimeKind.Utc),
            };
        gen.Sample(options => AssertValid(options, new DemoGenerator(options).Generate().ToList()), iter: 60, threads: 1);
    }

    private static void AssertValid(DemoOptions options, List<Event> events)
    {
        var start = options.Start;
        var end = options.Start.AddDays(options.Days);
        var people = DemoJourney.Split(events);
        Assert.Equal(options.People, people.Count);
        Assert.Equal(events.Count, events.Select(e => e.MessageId).Distinct().Count());

        foreach (var person in people)
        {
            var purchases = new Dictionary<string, double>();
            for (var i = 0; i < person.Events.Count; i++)
            {
                var e = person.Events[i];
                var where = $"{e.MessageId} ({e.Type} {e.Name})";
                Assert.Equal($"demo-{options.Seed}-{person.Person}-{i}", e.MessageId);
                Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
                Assert.Equal(DateTimeKind.Utc, e.ReceivedAt.Kind);
                Assert.True(e.Timestamp >= start && e.Timestamp < end, $"{where}: timestamp {e.Timestamp:O} outside [{start:O}, {end:O})");
                Assert.True(e.ReceivedAt >= e.Timestamp && e.ReceivedAt <= end, $"{where}: received {e.ReceivedAt:O}");
                Assert.True(i == 0 || e.Timestamp >= person.Events[i - 1].Timestamp, $"{where}: not in time order");
                Assert.True(e.AnonymousId is not null || e.UserId is not null, $"{where}: no identity");
                Assert.True(e.Channel is null || Channels.Contains(e.Channel), $"{where}: channel {e.Channel}");
                if (e.Properties is not null)
                {
                    using var json = JsonDocument.Parse(e.Properties);
                    Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
                }

                switch (e.Type)
                {
                    case EventType.Track:
                        Assert.True(e.Name is not null && TrackNames.Contains(e.Name), $"{where}: track name");
                        break;
                    case EventType.Page:
                        Assert.True(e.Name is not null && PageNames.Contains(e.Name), $"{where}: page name");
                        Assert.NotNull(e.AnonymousId);
                        break;
                    case EventType.Identify:
                        Assert.Null(e.Name);
                        Assert.NotNull(e.AnonymousId);
                        Assert.NotNull(e.UserId);
                        Assert.NotNull(e.Properties);
                        break;
                    case EventType.Alias:
                        Assert.NotNull(e.UserId);
                        Assert.NotNull(e.PreviousId);
                        Assert.NotEqual(e.UserId, e.PreviousId);
                        break;
                    case EventType.Group:
                        Assert.NotNull(e.GroupId);
                        break;
                    default:
                        Assert.Fail($"{where}: unexpected type");
                        break;
                }

                Assert.Equal(e.Revenue is not null, e.Currency is not null);
                if (e.Name == "purchase")
                {
                    Assert.True(e.Revenue > 0, $"{where}: revenue {e.Revenue}");
                    Assert.Equal("EUR", e.Currency);
                    using var json = JsonDocument.Parse(e.Properties!);
                    Assert.True(json.RootElement.TryGetProperty("plan", out _), where);
                    purchases.Add(json.RootElement.GetProperty("order_id").GetString()!, e.Revenue!.Value);
                }
                else if (e.Name == "refund")
                {
                    Assert.True(e.Revenue < 0, $"{where}: revenue {e.Revenue}");
                    using var json = JsonDocument.Parse(e.Properties!);
                    var order = json.RootElement.GetProperty("order_id").GetString()!;
                    Assert.True(purchases.TryGetValue(order, out var paid), $"{where}: refund of {order} without an earlier purchase by the same person");
                    Assert.Equal(-paid, e.Revenue);
                }
                else
                {
                    Assert.Null(e.Revenue);
                }
            }
        }
    }
}
