using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// The plain statement of RFM and ABC/XYZ (docs/analyses/segments.md), person by person with each event's local time from
/// <see cref="TimeZoneInfo"/> and ranks by counting: the oracle <see cref="SegmentKernel"/> is checked against.
/// </summary>
public static class SegmentReference
{
    /// <summary>The buyers among <paramref name="people"/>, in the order given; <see cref="CustomerScore.PersonIndex"/> is the position in it.</summary>
    public static IReadOnlyList<CustomerScore> Compute(IReadOnlyList<PersonJourney> people, SegmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var to = EventTime.ToMicros(options.To);
        var lastPeriod = Period(to, options);
        var buyers = new List<(int Index, string Id, long Last, int Frequency, double Monetary, double? Cv)>();
        for (var index = 0; index < people.Count; index++)
        {
            var events = people[index].Events.Where(e => e.Micros <= to).ToList();
            var first = events.FindIndex(e => e.Name is not null && options.PurchaseEvents.Contains(e.Name));
            if (first < 0)
            {
                continue;
            }

            var mine = events.Skip(first).ToList();
            var purchases = mine.Where(e => options.PurchaseEvents.Contains(e.Name!)).ToList();
            var counted = mine
                .Where(e => e.Name is not null && (options.PurchaseEvents.Contains(e.Name) || options.RefundEvents.Contains(e.Name)))
                .Select(e => (e.Micros, Value: options.PurchaseEvents.Contains(e.Name!) ? e.Revenue ?? 0 : -Math.Abs(e.Revenue ?? 0)))
                .ToList();
            var monetary = 0.0;
            foreach (var (_, value) in counted)
            {
                monetary += value;
            }

            var firstPeriod = Period(mine[0].Micros, options);
            var byPeriod = new Dictionary<int, double>();
            foreach (var (micros, value) in counted)
            {
                var k = Period(micros, options);
                byPeriod[k] = byPeriod.GetValueOrDefault(k) + value;
            }

            var series = Enumerable.Range(firstPeriod, lastPeriod - firstPeriod + 1).Select(k => byPeriod.GetValueOrDefault(k)).ToList();
            buyers.Add((index, people[index].PersonId, purchases.Max(e => e.Micros), purchases.Count, monetary, Cv(series)));
        }

        var n = buyers.Count;
        int Score(Func<int, bool> below) => 1 + (int)(5L * Enumerable.Range(0, n).Count(below) / n);
        var positives = buyers.Select(b => b.Monetary).Where(m => m > 0).OrderByDescending(m => m).ToList();
        var total = Sum(positives);
        return [.. buyers.Select(b =>
        {
            var r = Score(j => buyers[j].Last < b.Last);
            var f = Score(j => buyers[j].Frequency < b.Frequency);
            var m = Score(j => buyers[j].Monetary < b.Monetary);
            var above = Sum(positives.Where(x => x > b.Monetary));
            var abc = b.Monetary <= 0 ? 'C' : above / total < options.AbcA ? 'A' : above / total < options.AbcB ? 'B' : 'C';
            var xyz = b.Cv is not { } cv ? 'Z' : cv <= options.XyzX ? 'X' : cv <= options.XyzY ? 'Y' : 'Z';
            return new CustomerScore(b.Index, b.Id, b.Last, (to - b.Last) / 86_400_000_000.0, b.Frequency, b.Monetary, r, f, m, b.Cv, abc, xyz);
        })];
    }

    /// <summary>The people (positions in <paramref name="people"/>) with an event up to <paramref name="to"/> that <paramref name="matches"/>.</summary>
    public static IReadOnlyList<int> Members(IReadOnlyList<PersonJourney> people, Func<JourneyEvent, bool> matches, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(matches);
        var end = EventTime.ToMicros(to);
        return [.. Enumerable.Range(0, people.Count).Where(p => people[p].Events.Any(e => e.Micros <= end && matches(e)))];
    }

    // Population coefficient of variation; undefined for fewer than two periods or a mean of zero or less.
    private static double? Cv(List<double> series)
    {
        if (series.Count < 2)
        {
            return null;
        }

        var mean = Sum(series) / series.Count;
        if (mean <= 0)
        {
            return null;
        }

        return Math.Sqrt(Sum(series.Select(x => (x - mean) * (x - mean))) / series.Count) / mean;
    }

    // Left to right, as written (not Enumerable.Sum, so the order of additions is plain).
    private static double Sum(IEnumerable<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    private static int Period(long micros, SegmentOptions options)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(EventTime.FromMicros(micros), options.TimeZone);
        var day = DateOnly.FromDateTime(local).DayNumber - new DateOnly(1970, 1, 1).DayNumber;
        return options.Period switch
        {
            PeriodUnit.Month => (local.Year * 12) + local.Month - 1,
            PeriodUnit.Day => day,
            _ => (int)Math.Floor((day + 3) / 7.0),
        };
    }
}
