using Pretzel.Analytics.Kernels;
using System.Collections;
using System.Runtime.CompilerServices;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// RFM and ABC/XYZ over the event columns: one pass over each person's events (people in parallel ranges, each person's
/// values written to their own slot, so every run gives the same numbers), then ranks over the buyers.
/// <see cref="SegmentReference"/> is the plain oracle.
/// </summary>
public static class SegmentKernel
{
    internal const double MicrosPerDay = 86_400_000_000;

    public static CustomerScores Compute(EventColumns columns, SegmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var to = EventTime.ToMicros(options.To);
        var min = long.MaxValue;
        foreach (var t in columns.Micros)
        {
            min = t <= to ? Math.Min(min, t) : min;
        }

        var calendar = new LocalCalendar(options.TimeZone, options.Period, Math.Min(min, to), to);
        var lastPeriod = calendar.Period(to);
        var isPurchase = PersonKernel.CodeSet(columns.Event, options.PurchaseEvents);
        var isRefund = PersonKernel.CodeSet(columns.Event, options.RefundEvents);

        var people = columns.PersonCount;
        var totals = new BuyerTotals[people];
        var active = new bool[people];
        var ranges = PersonKernel.Ranges(people);
        Parallel.For(0, ranges.Length, r =>
        {
            var buckets = new double[16];
            for (var p = ranges[r].From; p < ranges[r].To; p++)
            {
                active[p] = columns.PersonStart[p] < columns.PersonStart[p + 1] && columns.Micros[columns.PersonStart[p]] <= to;
                totals[p] = Person(columns, p, to, calendar, lastPeriod, isPurchase, isRefund, ref buckets);
            }
        });

        var buyers = new List<int>();
        for (var p = 0; p < people; p++)
        {
            if (totals[p].Frequency > 0)
            {
                buyers.Add(p);
            }
        }

        var n = buyers.Count;
        var r = Scores(buyers.Select(p => totals[p].LastMicros).ToArray());
        var f = Scores(buyers.Select(p => totals[p].Frequency).ToArray());
        var monetary = buyers.Select(p => totals[p].Monetary).ToArray();
        var m = Scores(monetary);
        var abc = Abc(monetary, options);
        var scores = new CustomerScore[n];
        for (var b = 0; b < n; b++)
        {
            var t = totals[buyers[b]];
            double? cv = double.IsNaN(t.Cv) ? null : t.Cv;
            scores[b] = new CustomerScore(buyers[b], columns.PersonIds[buyers[b]], t.LastMicros, (to - t.LastMicros) / MicrosPerDay, t.Frequency,
                t.Monetary, r[b], f[b], m[b], cv, abc[b], Xyz(cv, options));
        }

        return new CustomerScores(people, active.Count(a => a), scores);
    }

    /// <summary>Per person: whether one of their events up to <paramref name="to"/> is set in <paramref name="matches"/>.</summary>
    public static bool[] Members(EventColumns columns, BitArray matches, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(matches);
        if (matches.Length != columns.Count)
        {
            throw new ArgumentException("one bit per event expected", nameof(matches));
        }

        var end = EventTime.ToMicros(to);
        var members = new bool[columns.PersonCount];
        for (var p = 0; p < members.Length; p++)
        {
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1] && columns.Micros[i] <= end; i++)
            {
                if (matches[i])
                {
                    members[p] = true;
                    break;
                }
            }
        }

        return members;
    }

    /// <summary>XYZ class of a coefficient of variation (Z when undefined).</summary>
    internal static char Xyz(double? cv, SegmentOptions options) => cv switch
    {
        { } c when c <= options.XyzX => 'X',
        { } c when c <= options.XyzY => 'Y',
        _ => 'Z',
    };

    /// <summary>
    /// Rank-based quintile scores: a value's rank is the number of values strictly below it (so tied values share the rank of
    /// the first of them), and its score 1 + ⌊5 × rank / n⌋.
    /// </summary>
    internal static int[] Scores<T>(T[] values) where T : IComparable<T>
    {
        var n = values.Length;
        var keys = (T[])values.Clone();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        var scores = new int[n];
        var rank = 0;
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && keys[i].CompareTo(keys[i - 1]) != 0)
            {
                rank = i;
            }

            scores[order[i]] = 1 + (int)(5L * rank / n);
        }

        return scores;
    }

    /// <summary>
    /// ABC classes: buyers by monetary value, largest first; a buyer's class is set by the share of total positive revenue of the
    /// buyers strictly above them (so tied buyers share a class): below A → A, below B → B, else C. No positive value → C.
    /// </summary>
    internal static char[] Abc(double[] monetary, SegmentOptions options)
    {
        var n = monetary.Length;
        var keys = new double[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = -monetary[i];
            order[i] = i;
        }

        Array.Sort(keys, order);
        var total = 0.0;
        foreach (var k in keys)
        {
            total += k < 0 ? -k : 0;
        }

        var classes = new char[n];
        var before = 0.0;
        var groupBefore = 0.0;
        for (var i = 0; i < n; i++)
        {
            var value = -keys[i];
            if (i == 0 || keys[i] != keys[i - 1])
            {
                groupBefore = before;
            }

            classes[order[i]] = value <= 0 ? 'C' : groupBefore / total < options.AbcA ? 'A' : groupBefore / total < options.AbcB ? 'B' : 'C';
            before += value > 0 ? value : 0;
        }

        return classes;
    }

    internal static double Cv(double[] buckets, int count)
    {
        if (count < 2)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            sum += buckets[k];
        }

        var mean = sum / count;
        if (mean <= 0)
        {
            return double.NaN;
        }

        var squares = 0.0;
        for (var k = 0; k < count; k++)
        {
            squares += (buckets[k] - mean) * (buckets[k] - mean);
        }

        return Math.Sqrt(squares / count) / mean;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BuyerTotals Person(EventColumns columns, int p, long to, LocalCalendar calendar, int lastPeriod, bool[] isPurchase, bool[] isRefund,
        ref double[] buckets)
    {
        var micros = columns.Micros;
        var codes = columns.Event.Codes;
        var revenue = columns.Revenue;
        var end = columns.PersonStart[p + 1];
        var first = -1;
        for (var i = columns.PersonStart[p]; i < end && micros[i] <= to; i++)
        {
            if (isPurchase[codes[i] + 1])
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return default;
        }

        var firstPeriod = calendar.Period(micros[first]);
        var count = lastPeriod - firstPeriod + 1;
        if (buckets.Length < count)
        {
            buckets = new double[Math.Max(count, buckets.Length * 2)];
        }

        Array.Clear(buckets, 0, count);
        var totals = default(BuyerTotals);
        for (var i = first; i < end && micros[i] <= to; i++)
        {
            var code = codes[i] + 1;
            if (isPurchase[code])
            {
                var value = double.IsNaN(revenue[i]) ? 0 : revenue[i];
                totals.Monetary += value;
                buckets[calendar.Period(micros[i]) - firstPeriod] += value;
                totals.Frequency++;
                totals.LastMicros = micros[i];
            }
            else if (isRefund[code])
            {
                var value = double.IsNaN(revenue[i]) ? 0 : -Math.Abs(revenue[i]);
                totals.Monetary += value;
                buckets[calendar.Period(micros[i]) - firstPeriod] += value;
            }
        }

        totals.Cv = Cv(buckets, count);
        return totals;
    }



    private struct BuyerTotals
    {
        public int Frequency;
        public long LastMicros;
        public double Monetary;
        public double Cv;
    }
}
