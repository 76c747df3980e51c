using System.Globalization;
using CsCheck;
using Pretzel.Analytics.Aarrr;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Aarrr;

/// <summary>The AARRR kernel against the reference on random people, the rows' bounds, and a hand-counted example.</summary>
public sealed class AarrrKernelTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Names = [null, "home", "sign_up", "purchase", "refund", "referral_sent", "login"];
    private static readonly string?[] Channels = [null, "email", "word_of_mouth", "direct"];
    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"];

    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, 24 * 60 * 400], Gen.Int[0, Channels.Length - 1], Gen.Int[-50, 500]).Array[0, 12].Array[0, 40]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddMinutes(e.Item2)), $"m{i:D3}", "track", Names[e.Item1], Channels[e.Item3], null, null,
                    null, null, e.Item4 % 3 == 0 ? null : e.Item4))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<AarrrOptions> GenOptions =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, Zones.Length - 1], Gen.Int[0, 24 * 420], Gen.Int[0, 1], Gen.Int[0, 1], Gen.Int[0, 1], Gen.Int[0, 1])
            .Select((unit, zone, toHours, acquisition, retention, revenue, referred) => new AarrrOptions
            {
                Unit = (PeriodUnit)unit,
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById(Zones[zone]),
                To = T0.AddHours(toHours),
                AcquisitionEvents = acquisition == 0 ? null : ["home", "sign_up"],
                ActivationEvents = ["sign_up"],
                RetentionEvents = retention == 0 ? null : ["login", "purchase"],
                RevenueEvents = revenue == 0 ? null : ["purchase"],
                ReferredChannels = referred == 0 ? ["word_of_mouth"] : ["word_of_mouth", "email"],
            });

    private static void AssertSame(IReadOnlyList<AarrrPeriod> expected, IReadOnlyList<AarrrPeriod> actual)
    {
        Assert.Equal(expected.Select(p => p.Period), actual.Select(p => p.Period));
        for (var k = 0; k < expected.Count; k++)
        {
            var (e, a) = (expected[k], actual[k]);
            Assert.Equal((e.Acquired, e.Activated, e.ActivatedOnArrival, e.Retained, e.Paying, e.Referrers, e.Referred),
                (a.Acquired, a.Activated, a.ActivatedOnArrival, a.Retained, a.Paying, a.Referrers, a.Referred));
            Assert.Equal(e.Revenue, a.Revenue, 6);
        }
    }

    [Fact]
    public void The_kernel_gives_the_reference_periods()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
            AssertSame(AarrrReference.Compute(people, options), AarrrKernel.Compute(JourneyColumns.FromJourneys(people), options)), iter: 600);
    }

    [Fact]
    public void The_rows_add_up_and_stay_in_bounds()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
        {
            var periods = AarrrKernel.Compute(JourneyColumns.FromJourneys(people), options);
            var seen = people.Select(p => p.Events.Where(e => EventTime.FromMicros(e.Micros) <= options.To).ToList()).Where(e => e.Count > 0).ToList();

            // One row per period, consecutive; everyone acquired once, activated once.
            Assert.Equal(periods.Select(p => p.Period), Enumerable.Range(periods.FirstOrDefault()?.Period ?? 0, periods.Count));
            Assert.Equal(seen.Count(e => e.Any(x => options.AcquisitionEvents is null || options.AcquisitionEvents.Contains(x.Name!))), periods.Sum(p => p.Acquired));
            Assert.Equal(seen.Count(e => e.Any(x => x.Name == "sign_up")), periods.Sum(p => p.Activated));
            Assert.Equal(seen.Sum(e => e.Where(x => x.Revenue is not null && (options.RevenueEvents is null || options.RevenueEvents.Contains(x.Name!))).Sum(x => x.Revenue!.Value)),
                periods.Sum(p => p.Revenue), 6);

            var table = AarrrRows.Table(periods, options);
            Assert.Equal(periods.Count, table.Rows.Count);
            foreach (var (row, period) in table.Rows.Zip(periods))
            {
                Assert.InRange(period.ActivatedOnArrival, 0, Math.Min(period.Acquired, period.Activated));
                Assert.InRange(period.Referred, 0, period.Acquired);
                Assert.InRange(period.Retained + period.Acquired, 0, seen.Count);
                Assert.Equal(period.Acquired == 0 ? null : Math.Round((double)period.ActivatedOnArrival / period.Acquired, 6), (double?)row[3]);
            }
        }, iter: 300);
    }

    [Fact]
    public void A_month_counts_arrivals_sign_ups_returns_revenue_and_referrals_in_the_projects_time_zone()
    {
        JourneyEvent E(string when, string name, string? channel = null, double? revenue = null) =>
            new(EventTime.ToMicros(DateTime.Parse(when, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)), when + name, "track", name, channel, null, null, null, null, revenue);
        var people = new List<PersonJourney>
        {
            // Arrives in March, signs up at 23:30 UTC on 31 March, which is already April in Berlin; buys in April and May.
            new("a", [E("2025-03-10T10:00:00Z", "home", "paid_search"), E("2025-03-31T23:30:00Z", "sign_up"), E("2025-04-02T00:00:00Z", "purchase", revenue: 49),
                E("2025-04-20T00:00:00Z", "purchase", revenue: 49), E("2025-05-03T00:00:00Z", "purchase", revenue: 149), E("2025-05-04T00:00:00Z", "referral_sent")]),
            // A friend: first touch word of mouth in May, signs up the same month, refunds in June.
            new("b", [E("2025-05-10T00:00:00Z", "pricing", "word_of_mouth"), E("2025-05-10T00:05:00Z", "sign_up"), E("2025-05-11T00:00:00Z", "purchase", revenue: 49),
                E("2025-06-01T00:00:00Z", "refund", revenue: -49)]),
        };
        var options = new AarrrOptions { To = new DateTime(2025, 6, 15, 0, 0, 0, DateTimeKind.Utc), TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin") };
        var table = AarrrRows.Table(AarrrKernel.Compute(JourneyColumns.FromJourneys(people), options), options);
        Assert.Equal(["period", "acquired", "activated", "activation_rate", "retained", "revenue", "paying", "referrers", "referred"], table.Columns);
        Assert.Equal(
        [
            ["2025-03", 1L, 0L, 0.0, 0L, 0.0, 0L, 0L, 0L],
            ["2025-04", 0L, 1L, null, 1L, 98.0, 1L, 0L, 0L],
            ["2025-05", 1L, 1L, 1.0, 1L, 198.0, 2L, 1L, 1L],
            ["2025-06", 0L, 0L, null, 1L, -49.0, 0L, 0L, 0L],
        ], table.Rows);
    }

    [Fact]
    public void Empty_or_blank_rules_are_refused_by_name()
    {
        var ex = Assert.Throws<PathException>(() => new AarrrOptions { To = T0, ActivationEvents = [] }.Validate());
        Assert.Contains("aarrr.activation.events", ex.Message, StringComparison.Ordinal);
        Assert.Throws<PathException>(() => new AarrrReport { Period = "year" }.Check(T0));
        Assert.Empty(AarrrKernel.Compute(JourneyColumns.FromJourneys([]), new AarrrOptions { To = T0 }));
    }
}
