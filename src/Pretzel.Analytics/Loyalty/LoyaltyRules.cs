using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Loyalty;

/// <summary>The levels of the loyalty pyramid, bottom to top, then the two ways out.</summary>
public enum LoyaltyLevel
{
    Prospect,
    FirstTime,
    Repeat,
    Loyal,
    Advocate,
    Refused,
    Churned,
}

/// <summary>
/// How a person's level is decided at a date (docs/analyses/loyalty.md), from their events up to it, first rule that
/// applies:
/// <list type="number">
/// <item><b>churned</b>: a customer (a purchase) whose last purchase was followed by a churn event, or whose last event is
/// more than <see cref="ChurnAfter"/> before the date;</item>
/// <item><b>refused</b>: not a customer, with a refusal event;</item>
/// <item><b>advocate</b>: an advocacy event (a referral sent, a review), customer or not: people who never bought can
/// still recommend;</item>
/// <item><b>loyal</b>: at least <see cref="LoyalPurchases"/> purchases; <b>repeat</b>: at least <see cref="RepeatPurchases"/>;
/// <b>first-time customer</b>: one;</item>
/// <item><b>prospect</b>: known (any event) but no purchase.</item>
/// </list>
/// </summary>
public sealed record LoyaltyRules
{
    public IReadOnlyList<string> PurchaseEvents { get; init; } = ["purchase", "order_completed"];

    public IReadOnlyList<string> AdvocacyEvents { get; init; } = ["referral_sent", "review_left"];

    public IReadOnlyList<string> RefusalEvents { get; init; } = ["refused"];

    public IReadOnlyList<string> ChurnEvents { get; init; } = ["churned", "subscription_cancelled"];

    public int RepeatPurchases { get; init; } = 2;

    public int LoyalPurchases { get; init; } = 3;

    public TimeSpan ChurnAfter { get; init; } = TimeSpan.FromDays(180);

    /// <summary>The level names as printed.</summary>
    public static string Name(LoyaltyLevel level) => level switch
    {
        LoyaltyLevel.Prospect => "prospect",
        LoyaltyLevel.FirstTime => "first_time_customer",
        LoyaltyLevel.Repeat => "repeat_customer",
        LoyaltyLevel.Loyal => "loyal",
        LoyaltyLevel.Advocate => "advocate",
        LoyaltyLevel.Refused => "refused",
        _ => "churned",
    };

    /// <summary>The level from a person's facts up to the date.</summary>
    public LoyaltyLevel Level(long purchases, bool churnAfterLastPurchase, bool inactive, bool refused, bool advocated)
    {
        if (purchases > 0 && (churnAfterLastPurchase || inactive))
        {
            return LoyaltyLevel.Churned;
        }

        if (purchases == 0 && refused)
        {
            return LoyaltyLevel.Refused;
        }

        if (advocated)
        {
            return LoyaltyLevel.Advocate;
        }

        return purchases >= LoyalPurchases ? LoyaltyLevel.Loyal
            : purchases >= RepeatPurchases ? LoyaltyLevel.Repeat
            : purchases >= 1 ? LoyaltyLevel.FirstTime
            : LoyaltyLevel.Prospect;
    }

    public void Validate()
    {
        foreach (var (name, list) in new[] { ("--purchase", PurchaseEvents), ("--advocacy-events", AdvocacyEvents), ("--refusal-events", RefusalEvents), ("--churn-events", ChurnEvents) })
        {
            if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
            {
                throw new PathException($"{name}: expected event names, comma-separated");
            }
        }

        if (RepeatPurchases < 2 || LoyalPurchases <= RepeatPurchases)
        {
            throw new PathException($"--repeat-purchases {RepeatPurchases} --loyal-purchases {LoyalPurchases}: expected 2 ≤ repeat < loyal");
        }

        if (ChurnAfter <= TimeSpan.Zero)
        {
            throw new PathException("--churn-after: expected a positive duration such as 180d");
        }
    }
}
