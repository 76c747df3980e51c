using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Segments;

/// <summary>The rows of <c>pretzel segments</c>, from the scores of <see cref="SegmentKernel"/> (or the reference).</summary>
public static class SegmentRows
{
    private static readonly string[] SummaryColumns =
        ["segment", "people", "share", "revenue", "revenue_share", "avg_recency_days", "avg_frequency", "avg_monetary"];

    /// <summary>The eleven RFM segments (<see cref="RfmSegments.All"/>, empty ones too).</summary>
    public static ReportTable RfmSummary(IReadOnlyList<CustomerScore> buyers)
    {
        ArgumentNullException.ThrowIfNull(buyers);
        return Summary(buyers, RfmSegments.All, b => b.RfmSegment);
    }

    /// <summary>The nine ABC/XYZ cells, <c>AX</c> to <c>CZ</c> (empty ones too).</summary>
    public static ReportTable AbcXyzSummary(IReadOnlyList<CustomerScore> buyers)
    {
        ArgumentNullException.ThrowIfNull(buyers);
        string[] cells = [.. from a in "ABC" from x in "XYZ" select $"{a}{x}"];
        return Summary(buyers, cells, b => b.AbcXyz);
    }

    /// <summary>
    /// Per segment: <c>segment, people, share</c> (of buyers), <c>revenue</c> (the sum of its buyers' monetary values),
    /// <c>revenue_share</c> (of all buyers'), and its buyers' mean recency (days), frequency and monetary value.
    /// </summary>
    public static ReportTable Summary(IReadOnlyList<CustomerScore> buyers, IReadOnlyList<string> segments, Func<CustomerScore, string> segmentOf)
    {
        ArgumentNullException.ThrowIfNull(buyers);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(segmentOf);
        var total = Sum(buyers.Select(b => b.Monetary));
        var bySegment = buyers.GroupBy(segmentOf).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var rows = segments.Select(segment =>
        {
            var members = bySegment.GetValueOrDefault(segment) ?? [];
            return Row(segment, members, buyers.Count, total);
        }).ToList();
        return new ReportTable(SummaryColumns, rows);
    }

    /// <summary>
    /// Per custom segment (people may be in several): <c>segment, people, share</c> (of the people with any event up to the
    /// end), <c>buyers, revenue, revenue_share</c> (of all buyers'), and its buyers' mean recency, frequency and monetary value.
    /// </summary>
    public static ReportTable CustomSummary(CustomerScores scores, IReadOnlyList<SegmentAssignment> segments)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(segments);
        var total = Sum(scores.Buyers.Select(b => b.Monetary));
        var rows = segments.Select(segment =>
        {
            var people = Enumerable.Range(0, segment.PersonCount).Where(p => segment.SegmentOf(p) is not null).ToList();
            var members = people.Select(scores.ScoreOf).OfType<CustomerScore>().ToList();
            var row = Row(segment.Name, members, scores.ActivePeople, total);
            row[1] = (long)people.Count;
            row[2] = scores.ActivePeople > 0 ? Round((double)people.Count / scores.ActivePeople) : null;
            return (object?[])[.. row[..3], (long)members.Count, .. row[3..]];
        }).ToList();
        return new ReportTable(["segment", "people", "share", "buyers", .. SummaryColumns[3..]], rows);
    }

    /// <summary>
    /// One row per buyer, largest monetary value first (then by person id): <c>person_id, recency_days, frequency, monetary,
    /// r, f, m, fm, segment</c> for RFM; <c>person_id, frequency, monetary, cv, abc, xyz, segment</c> for ABC/XYZ.
    /// </summary>
    public static ReportTable People(IReadOnlyList<CustomerScore> buyers, string kind)
    {
        ArgumentNullException.ThrowIfNull(buyers);
        var ordered = buyers.OrderByDescending(b => b.Monetary).ThenBy(b => b.PersonId, StringComparer.Ordinal);
        if (kind == SegmentAssignment.AbcXyzName)
        {
            return new ReportTable(["person_id", "frequency", "monetary", "cv", "abc", "xyz", "segment"],
                [.. ordered.Select(b => (object?[])[b.PersonId, (long)b.Frequency, Round(b.Monetary), b.Cv is { } cv ? Round(cv) : null,
                    b.Abc.ToString(), b.Xyz.ToString(), b.AbcXyz])]);
        }

        return new ReportTable(["person_id", "recency_days", "frequency", "monetary", "r", "f", "m", "fm", "segment"],
            [.. ordered.Select(b => (object?[])[b.PersonId, Round(b.RecencyDays), (long)b.Frequency, Round(b.Monetary),
                (long)b.R, (long)b.F, (long)b.M, (long)b.Fm, b.RfmSegment])]);
    }

    /// <summary>One row per person and custom segment they are in, by segment then person id: <c>person_id, segment, frequency, monetary</c> (null when they bought nothing).</summary>
    public static ReportTable CustomPeople(CustomerScores scores, IReadOnlyList<SegmentAssignment> segments, IReadOnlyList<string> personIds)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(personIds);
        var rows = new List<object?[]>();
        foreach (var segment in segments)
        {
            foreach (var p in Enumerable.Range(0, segment.PersonCount).Where(p => segment.SegmentOf(p) is not null).OrderBy(p => personIds[p], StringComparer.Ordinal))
            {
                var score = scores.ScoreOf(p);
                rows.Add([personIds[p], segment.Name, score is null ? 0L : (long)score.Frequency, score is null ? null : Round(score.Monetary)]);
            }
        }

        return new ReportTable(["person_id", "segment", "frequency", "monetary"], rows);
    }

    private static object?[] Row(string segment, List<CustomerScore> members, int of, double total)
    {
        var revenue = Sum(members.Select(b => b.Monetary));
        var n = members.Count;
        return
        [
            segment, (long)n, of > 0 ? Round((double)n / of) : null, Round(revenue), total != 0 ? Round(revenue / total) : null,
            n > 0 ? Round(Sum(members.Select(b => b.RecencyDays)) / n) : null,
            n > 0 ? Round((double)members.Sum(b => (long)b.Frequency) / n) : null,
            n > 0 ? Round(revenue / n) : null,
        ];
    }

    private static double Sum(IEnumerable<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    internal static double Round(double value)
    {
        var rounded = Math.Round(value, 6);
        return rounded == 0 ? 0 : rounded;
    }
}
