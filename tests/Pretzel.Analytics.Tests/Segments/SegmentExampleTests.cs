using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Segments;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Segments;

/// <summary>Hand-made examples: quintile ties, the named-segment grid, ABC and XYZ thresholds, refunds and the report's options.</summary>
public sealed class SegmentExampleTests
{
    private static readonly DateTime To = new(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc);

    private static JourneyEvent E(string when, string name, double? revenue = null) =>
        new(EventTime.ToMicros(DateTime.Parse(when, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)),
            when + name, "track", name, null, null, null, null, null, revenue);

    [Fact]
    public void Quintile_scores_are_one_plus_five_times_the_rank_over_n_and_ties_share_the_lowest_rank()
    {
        // Ten values: ranks 0, 0, 2, 3, 3, 3, 6, 7, 8, 8 (the number of values strictly below).
        int[] values = [5, 1, 1, 9, 3, 3, 3, 2, 7, 9];
        Assert.Equal([4, 1, 1, 5, 2, 2, 2, 2, 4, 5], SegmentKernel.Scores(values));
        Assert.Equal([1, 1, 1], SegmentKernel.Scores([4.0, 4.0, 4.0]));
        Assert.Equal([1, 2, 3, 4, 5], SegmentKernel.Scores([10L, 20, 30, 40, 50]));
        Assert.Equal([1, 1, 3, 4, 5], SegmentKernel.Scores([1, 1, 2, 3, 4]));
        Assert.Equal([1, 2, 2], SegmentKernel.Scores([0.5, 7, 7]));
    }

    [Fact]
    public void The_named_segment_grid_is_the_documented_table()
    {
        string[] expected =
        [
            // R = 5
            "New Customers", "Potential Loyalists", "Loyal Customers", "Champions", "Champions",
            // R = 4
            "Promising", "Potential Loyalists", "Loyal Customers", "Champions", "Champions",
            // R = 3
            "About to Sleep", "Need Attention", "Need Attention", "Loyal Customers", "Loyal Customers",
            // R = 2
            "Hibernating", "Hibernating", "At Risk", "At Risk", "At Risk",
            // R = 1
            "Lost", "Lost", "At Risk", "Can't Lose Them", "Can't Lose Them",
        ];
        Assert.Equal(expected, from r in new[] { 5, 4, 3, 2, 1 } from fm in new[] { 1, 2, 3, 4, 5 } select RfmSegments.Name(r, fm));
        Assert.Equal(RfmSegments.All.Order(), expected.Distinct().Order());
        Assert.Equal(11, RfmSegments.All.Count);
        Assert.Equal(1, RfmSegments.FmScore(1, 1));
        Assert.Equal(2, RfmSegments.FmScore(1, 2));
        Assert.Equal(3, RfmSegments.FmScore(2, 3));
        Assert.Equal(5, RfmSegments.FmScore(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => RfmSegments.Name(0, 3));
    }

    [Fact]
    public void Five_buyers_get_one_score_each_and_their_segments()
    {
        // Recency, frequency and monetary all rise from a to e: a is Lost, e a Champion.
        var people = new List<PersonJourney>
        {
            new("a", [E("2025-01-10T00:00:00Z", "purchase", 10)]),
            new("b", [E("2025-02-10T00:00:00Z", "purchase", 10), E("2025-02-11T00:00:00Z", "purchase", 10)]),
            new("c", [E("2025-03-10T00:00:00Z", "purchase", 10), E("2025-03-11T00:00:00Z", "purchase", 10), E("2025-03-12T00:00:00Z", "purchase", 10)]),
            new("d", [.. Enumerable.Range(1, 4).Select(d => E($"2025-04-{d:D2}T00:00:00Z", "order_completed", 10))]),
            new("e", [E("2025-06-01T00:00:00Z", "home"), .. Enumerable.Range(1, 5).Select(d => E($"2025-06-{d + 1:D2}T00:00:00Z", "purchase", 10))]),
            new("f", [E("2025-06-30T00:00:00Z", "signup")]),
        };
        var scores = SegmentKernel.Compute(JourneyColumns.FromJourneys(people), new SegmentOptions { To = To });
        Assert.Equal(["a", "b", "c", "d", "e"], scores.Buyers.Select(b => b.PersonId));
        Assert.Equal([1, 2, 3, 4, 5], scores.Buyers.Select(b => b.R));
        Assert.Equal([1, 2, 3, 4, 5], scores.Buyers.Select(b => b.F));
        Assert.Equal([1, 2, 3, 4, 5], scores.Buyers.Select(b => b.M));
        Assert.Equal(["Lost", "Hibernating", "Need Attention", "Champions", "Champions"], scores.Buyers.Select(b => b.RfmSegment));
        Assert.Equal(25, scores.Buyers[4].RecencyDays);
        Assert.Equal(6, scores.ActivePeople);
        Assert.Null(scores.ScoreOf(5));
        Assert.Null(scores.Rfm().SegmentOf(5));
    }

    [Fact]
    public void Refunds_are_subtracted_whatever_their_sign_unless_switched_off()
    {
        var people = new List<PersonJourney>
        {
            new("a", [E("2025-01-01T00:00:00Z", "refund", -99), E("2025-02-01T00:00:00Z", "purchase", 100), E("2025-02-05T00:00:00Z", "refund", -30),
                E("2025-03-01T00:00:00Z", "purchase", 50), E("2025-03-02T00:00:00Z", "refund", 20)]),
        };
        var columns = JourneyColumns.FromJourneys(people);
        // The refund before the first purchase does not count.
        Assert.Equal(100, SegmentKernel.Compute(columns, new SegmentOptions { To = To }).Buyers[0].Monetary);
        Assert.Equal(150, SegmentKernel.Compute(columns, new SegmentOptions { To = To, RefundEvents = [] }).Buyers[0].Monetary);
    }

    [Fact]
    public void Abc_closes_a_class_at_its_cumulative_share_and_ties_share_a_class()
    {
        // Revenue 50, 30, 10, 5, 5, 0 (total 100): shares before each are 0, 0.5, 0.8, 0.9, 0.9 (tied), and no revenue is C.
        double[] monetary = [5, 50, 10, 30, 5, 0];
        var options = new SegmentOptions { To = To };
        Assert.Equal("BABABC", new string(SegmentKernel.Abc(monetary, options)));
        Assert.Equal("CAAACC", new string(SegmentKernel.Abc(monetary, options with { AbcA = 0.85, AbcB = 0.9 })));
        Assert.Equal("AAAAAC", new string(SegmentKernel.Abc(monetary, options with { AbcA = 0.95, AbcB = 1 })));
        Assert.Equal("CCC", new string(SegmentKernel.Abc([0, -3, 0], options)));
    }

    [Fact]
    public void Xyz_is_the_coefficient_of_variation_of_monthly_revenue_from_the_first_purchase_to_the_end()
    {
        var people = new List<PersonJourney>
        {
            // 100 in each of the 6 months January–June, none in July (the month holding the end): mean 600/7.
            new("steady", [.. Enumerable.Range(1, 6).Select(m => E($"2025-{m:D2}-15T00:00:00Z", "purchase", 100))]),
            // 100 and 300 in April and May, none in June and July: mean 100, sd √(60000/4) = 122.5 → 1.22.
            new("lumpy", [E("2025-04-15T00:00:00Z", "purchase", 100), E("2025-05-15T00:00:00Z", "purchase", 300)]),
            // A first purchase in the end's month: one period, no variability to measure: Z.
            new("new", [E("2025-07-01T00:00:00Z", "purchase", 10)]),
        };
        var to = new DateTime(2025, 7, 1, 12, 0, 0, DateTimeKind.Utc);
        var scores = SegmentKernel.Compute(JourneyColumns.FromJourneys(people), new SegmentOptions { To = to });
        var steady = scores.Buyers[0];
        var mean = 600 / 7.0;
        Assert.Equal(Math.Sqrt(((6 * (100 - mean) * (100 - mean)) + (mean * mean)) / 7) / mean, steady.Cv!.Value, 12);
        Assert.Equal('X', steady.Xyz);
        Assert.Equal(Math.Sqrt(1.5), scores.Buyers[1].Cv!.Value, 12);
        Assert.Equal('Z', scores.Buyers[1].Xyz);
        Assert.Equal('Y', SegmentKernel.Compute(JourneyColumns.FromJourneys(people), new SegmentOptions { To = to, XyzX = 0.2, XyzY = 1.5 }).Buyers[1].Xyz);
        Assert.Null(scores.Buyers[2].Cv);
        Assert.Equal('Z', scores.Buyers[2].Xyz);
        Assert.Equal(["AX", "AZ", "CZ"], scores.Buyers.Select(b => b.AbcXyz));
    }

    [Fact]
    public void The_report_rejects_bad_options_naming_them()
    {
        var now = To;
        void Bad(SegmentsReport report, string option) => Assert.Contains(option, Assert.Throws<PathException>(() => report.Check(now)).Message, StringComparison.Ordinal);
        Bad(new SegmentsReport { Kind = "clv" }, "--kind clv");
        Bad(new SegmentsReport { Abc = "95,80" }, "--abc");
        Bad(new SegmentsReport { Abc = "80" }, "--abc 80");
        Bad(new SegmentsReport { Xyz = "1,0.5" }, "--xyz");
        Bad(new SegmentsReport { Period = "year" }, "--period year");
        Bad(new SegmentsReport { Segment = ["big"] }, "--segment big");
        Bad(new SegmentsReport { Segment = ["rfm=revenue > 1"] }, "--segment rfm");
        Bad(new SegmentsReport { Segment = ["a=revenue > 1", "a=revenue > 2"] }, "--segment a");
        Bad(new SegmentsReport { Segment = ["a=revenue > 1"], Kind = "rfm" }, "--kind");
        Bad(new SegmentsReport { RefundEvent = "purchase" }, "--refund-event purchase");
        Bad(new SegmentsReport { PurchaseEvent = "" }, "--purchase-event");
        Bad(new SegmentsReport { TimeZone = "Mars/Olympus" }, "Mars/Olympus");
        new SegmentsReport { Segment = ["big=revenue > 1000 AND channel = 'a=b'"], RefundEvent = "none", Abc = "70,90", Xyz = "0.25,0.75" }.Check(now);
    }

    [Fact]
    public void The_summary_counts_people_revenue_and_means_per_segment()
    {
        var people = new List<PersonJourney>
        {
            new("a", [E("2025-06-20T00:00:00Z", "purchase", 300)]),
            new("b", [E("2025-06-10T00:00:00Z", "purchase", 100)]),
        };
        var scores = SegmentKernel.Compute(JourneyColumns.FromJourneys(people), new SegmentOptions { To = To });
        var table = new SegmentsReport { Kind = "abc_xyz", To = "2025-07-01" }.Run(JourneyColumns.FromJourneys(people), To, []);
        Assert.Equal(["segment", "people", "share", "revenue", "revenue_share", "avg_recency_days", "avg_frequency", "avg_monetary"], table.Columns);
        Assert.Equal(9, table.Rows.Count);
        // a: 300 of 400, A; b: 0.75 before it, below 0.8: A too. June and July: one purchase and nothing, CV 1: Y.
        Assert.Equal(["AY", 2L, 1.0, 400.0, 1.0, 16.0, 1.0, 200.0], table.Rows[1]);
        var people2 = SegmentRows.People(scores.Buyers, "rfm");
        // a: R rank 1 of 2 → 3, F tied → 1, M rank 1 → 3; FM (1 + 3) / 2 = 2: R 3, FM 2.
        Assert.Equal(["a", 11.0, 1L, 300.0, 3L, 1L, 3L, 2L, "Need Attention"], people2.Rows[0]);
    }
}
