using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Loyalty;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Loyalty;

public sealed class LoyaltyKernelTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["home", "purchase", "purchase", "order_completed", "referral_sent", "review_left", "refused", "churned", "subscription_cancelled"];

    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, 24 * 400], Gen.Int[-20, 300]).Array[0, 12].Array[0, 40]
            .Select(people => people.Select((events, p) => new PersonJourney($"p{p:D2}", [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Item2)), $"m{i:D3}", "track", Names[e.Item1], null, null, null, null, null, e.Item3 % 3 == 0 ? null : e.Item3))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<LoyaltyRules> GenRules =
        Gen.Select(Gen.Int[2, 3], Gen.Int[1, 3], Gen.Int[10, 300], Gen.Bool).Select((repeat, extra, churnDays, reviews) => new LoyaltyRules
        {
            RepeatPurchases = repeat, LoyalPurchases = repeat + extra, ChurnAfter = TimeSpan.FromDays(churnDays),
            AdvocacyEvents = reviews ? ["referral_sent", "review_left"] : ["referral_sent"],
        });

    [Fact]
    public void The_kernel_gives_each_persons_reference_level()
    {
        Gen.Select(GenPeople, GenRules, Gen.Int[0, 24 * 420]).Sample((people, rules, hours) =>
        {
            var at = T0.AddHours(hours);
            var columns = JourneyColumns.FromJourneys(people);
            var (levels, revenue) = LoyaltyKernel.Levels(columns, rules, at);
            var byId = people.ToDictionary(p => p.PersonId);
            for (var p = 0; p < columns.PersonCount; p++)
            {
                var person = byId[columns.PersonIds[p]];
                Assert.Equal(LoyaltyKernel.Reference(person, rules, at), levels[p]);
                Assert.Equal(person.Events.Where(e => EventTime.FromMicros(e.Micros) <= at).Sum(e => e.Revenue ?? 0), revenue[p], 9);
            }
        }, iter: 500);
    }

    [Fact]
    public void The_pyramid_and_the_movements_account_for_everyone()
    {
        Gen.Select(GenPeople, GenRules).Sample((people, rules) =>
        {
            var columns = JourneyColumns.FromJourneys(people);
            var (then, _) = LoyaltyKernel.Levels(columns, rules, T0.AddDays(150));
            var (now, revenue) = LoyaltyKernel.Levels(columns, rules, T0.AddDays(420));
            var known = now.Count(l => l is not null);
            var pyramid = LoyaltyReport.Pyramid(now, revenue);
            Assert.Equal(known, pyramid.Rows.Sum(r => (long)r[1]!));
            Assert.Equal(known, LoyaltyReport.Movements(then, now).Rows.Sum(r => (long)r[2]!));
        }, iter: 200);
    }

    [Fact]
    public void The_rules_apply_in_order()
    {
        var rules = new LoyaltyRules();
        Assert.Equal(LoyaltyLevel.Churned, rules.Level(5, churnAfterLastPurchase: true, inactive: false, refused: false, advocated: true));
        Assert.Equal(LoyaltyLevel.Churned, rules.Level(1, false, inactive: true, false, false));
        Assert.Equal(LoyaltyLevel.Prospect, rules.Level(0, false, inactive: true, false, false));
        Assert.Equal(LoyaltyLevel.Refused, rules.Level(0, false, false, refused: true, advocated: true));
        Assert.Equal(LoyaltyLevel.Advocate, rules.Level(0, false, false, false, advocated: true));
        Assert.Equal(LoyaltyLevel.Advocate, rules.Level(1, false, false, refused: true, advocated: true));
        Assert.Equal([LoyaltyLevel.Prospect, LoyaltyLevel.FirstTime, LoyaltyLevel.Repeat, LoyaltyLevel.Loyal, LoyaltyLevel.Loyal],
            Enumerable.Range(0, 5).Select(n => rules.Level(n, false, false, false, false)));

        // A purchase after a cancellation brings the customer back.
        var person = new PersonJourney("a", [
            new(EventTime.ToMicros(T0), "1", "track", "purchase", null, null, null, null),
            new(EventTime.ToMicros(T0.AddDays(10)), "2", "track", "churned", null, null, null, null),
            new(EventTime.ToMicros(T0.AddDays(20)), "3", "track", "purchase", null, null, null, null)]);
        Assert.Equal(LoyaltyLevel.Churned, LoyaltyKernel.Reference(person, rules, T0.AddDays(15)));
        Assert.Equal(LoyaltyLevel.Repeat, LoyaltyKernel.Reference(person, rules, T0.AddDays(25)));
        Assert.Equal(LoyaltyLevel.Repeat, LoyaltyKernel.Levels(JourneyColumns.FromJourneys([person]), rules, T0.AddDays(25)).Levels[0]);
    }

    [Fact]
    public void Thresholds_that_make_no_pyramid_are_refused_by_name()
    {
        Assert.Contains("--loyal-purchases", Assert.Throws<PathException>(() => new LoyaltyReport { RepeatPurchases = 3, LoyalPurchases = 3 }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("--from", Assert.Throws<PathException>(() => new LoyaltyReport { From = "2025-05-01", To = "2025-04-01" }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("--churn-after", Assert.Throws<PathException>(() => new LoyaltyReport { ChurnAfter = "soon" }.Check(T0)).Message, StringComparison.Ordinal);
    }
}
