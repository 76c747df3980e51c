using System.Collections;
using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Retention;
using Pretzel.Analytics.Segments;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Segments;

/// <summary>The segment kernel against the reference on random people and options, and the report's rows adding up.</summary>
public sealed class SegmentKernelTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["home", "purchase", "signup", "refund", "order_completed", "purchase"];
    private static readonly string?[] Channels = [null, "email", "paid_search", "direct"];
    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"];

    // Revenue from a small set, so that ties (equal monetary values, equal purchase counts) are common; minutes from a
    // coarse grid, so that equal last-purchase times happen too.
    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, 24 * 20 * 14], Gen.Int[0, Channels.Length - 1], Gen.Int[-2, 6]).Array[0, 12].Array[0, 40]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddMinutes(e.Item2 * 30)), $"m{i:D3}", "track", Names[e.Item1], Channels[e.Item3], null, null,
                    null, null, e.Item4 < 0 ? null : e.Item4 * 25.0))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<SegmentOptions> GenOptions =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 2], Gen.Int[0, Zones.Length - 1], Gen.Int[0, 24 * 300], Gen.Int[1, 3], Gen.Int[0, 2])
            .Select((purchases, refunds, unit, zone, toHours, abc, xyz) => new SegmentOptions
            {
                PurchaseEvents = purchases switch { 0 => SegmentOptions.DefaultPurchaseEvents, 1 => ["purchase"], _ => ["order_completed", "signup"] },
                RefundEvents = refunds ? SegmentOptions.DefaultRefundEvents : [],
                Period = (PeriodUnit)unit,
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById(Zones[zone]),
                To = T0.AddHours(toHours),
                AbcA = abc * 0.25,
                AbcB = (abc * 0.25) + 0.2,
                XyzX = xyz * 0.5,
                XyzY = (xyz * 0.5) + 0.5,
            });

    [Fact]
    public void The_kernel_gives_the_reference_scores()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
        {
            var expected = SegmentReference.Compute(people, options);
            var actual = SegmentKernel.Compute(JourneyColumns.FromJourneys(people), options);
            Assert.Equal(expected, actual.Buyers);
        }, iter: 800);
    }

    [Fact]
    public void Custom_segment_members_are_the_reference_members()
    {
        Gen.Select(GenPeople, Gen.Int[0, Channels.Length - 1], Gen.Int[0, 24 * 300]).Sample((people, channel, toHours) =>
        {
            var to = T0.AddHours(toHours);
            var columns = JourneyColumns.FromJourneys(people);
            bool Matches(string? c, double? revenue) => c == Channels[channel] && (revenue ?? 0) >= 50;
            var bits = new BitArray(columns.Count);
            for (var i = 0; i < columns.Count; i++)
            {
                bits[i] = Matches(columns.Channel[i], double.IsNaN(columns.Revenue[i]) ? null : columns.Revenue[i]);
            }

            var assignment = SegmentAssignment.Custom("s", columns, bits, to);
            var expected = SegmentReference.Members(people, e => Matches(e.Channel, e.Revenue), to);
            Assert.Equal(expected, Enumerable.Range(0, columns.PersonCount).Where(p => assignment.SegmentOf(p) == "s"));
        }, iter: 300);
    }

    [Fact]
    public void Every_buyer_is_in_exactly_one_segment_and_one_cell_and_the_shares_add_up()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
        {
            var columns = JourneyColumns.FromJourneys(people);
            var scores = SegmentKernel.Compute(columns, options);
            var buyers = people.Count(p => p.Events.Any(e => EventTime.FromMicros(e.Micros) <= options.To && options.PurchaseEvents.Contains(e.Name!)));
            Assert.Equal(buyers, scores.Buyers.Count);
            foreach (var table in new[] { SegmentRows.RfmSummary(scores.Buyers), SegmentRows.AbcXyzSummary(scores.Buyers) })
            {
                Assert.Equal(buyers, table.Rows.Sum(r => (long)r[1]!));
                if (buyers > 0)
                {
                    Assert.Equal(1.0, table.Rows.Sum(r => (double)r[2]!), 5);
                }
            }

            var rfm = scores.Rfm();
            Assert.Equal(buyers, Enumerable.Range(0, columns.PersonCount).Count(p => rfm.SegmentOf(p) is not null));
            Assert.All(scores.Buyers, b =>
            {
                Assert.InRange(b.R, 1, 5);
                Assert.InRange(b.F, 1, 5);
                Assert.InRange(b.M, 1, 5);
                Assert.Equal(b.RfmSegment, rfm.SegmentOf(b.PersonIndex));
                Assert.Equal(b.AbcXyz, scores.AbcXyz().SegmentOf(b.PersonIndex));
                Assert.True(b.RecencyDays >= 0);
            });
        }, iter: 200);
    }
}
