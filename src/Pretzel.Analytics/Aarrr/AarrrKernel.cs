using Pretzel.Analytics.Kernels;
using System.Runtime.CompilerServices;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// AARRR over the event columns: every event's local period once, then one pass over each person's events
/// (people in a fixed number of ranges in parallel, merged in order, so revenue sums are the same on every run).
/// <see cref="AarrrReference"/> is the plain oracle.
/// </summary>
public static class AarrrKernel
{
    /// <summary>One <see cref="AarrrPeriod"/> per period from the earliest event's to the one holding <see cref="AarrrOptions.To"/>; none without events.</summary>
    public static IReadOnlyList<AarrrPeriod> Compute(EventColumns columns, AarrrOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var to = EventTime.ToMicros(options.To);
        var (min, max) = (long.MaxValue, long.MinValue);
        foreach (var t in columns.Micros)
        {
            if (t <= to)
            {
                min = Math.Min(min, t);
                max = Math.Max(max, t);
            }
        }

        if (max == long.MinValue)
        {
            return [];
        }

        var calendar = new LocalCalendar(options.TimeZone, options.Unit, min, to);
        // Local periods are not monotonic in time everywhere (a zone falling back at midnight re-enters
        // yesterday), so the span is the periods' own minimum and maximum, not those of the first and last instant.
        var periods = new int[columns.Count];
        var (first, last) = (calendar.Period(to), calendar.Period(to));
        for (var i = 0; i < periods.Length; i++)
        {
            if (columns.Micros[i] <= to)
            {
                periods[i] = calendar.Period(columns.Micros[i]);
                first = Math.Min(first, periods[i]);
                last = Math.Max(last, periods[i]);
            }
        }

        var rules = new Rules(columns, options);
        var ranges = PersonKernel.Ranges(columns.PersonCount);
        var partial = new Totals[ranges.Length];
        Parallel.For(0, ranges.Length, r =>
        {
            var totals = new Totals(first, last - first + 1);
            for (var p = ranges[r].From; p < ranges[r].To; p++)
            {
                Person(columns, p, to, periods, rules, totals);
            }

            partial[r] = totals;
        });

        var result = Enumerable.Range(first, last - first + 1).Select(p => new AarrrPeriod(p)).ToArray();
        foreach (var totals in partial)
        {
            for (var k = 0; k < result.Length; k++)
            {
                result[k].Add(totals.Periods[k]);
            }
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Person(EventColumns columns, int p, long to, int[] periods, Rules rules, Totals totals)
    {
        var micros = columns.Micros;
        var names = columns.Event.Codes;
        var channels = columns.Channel.Codes;
        var from = columns.PersonStart[p];
        var end = from;
        while (end < columns.PersonStart[p + 1] && micros[end] <= to)
        {
            end++;
        }

        if (end == from)
        {
            return;
        }

        int acquired = -1, activated = -1, touch = -1;
        for (var i = from; i < end && (acquired < 0 || activated < 0 || touch < 0); i++)
        {
            if (acquired < 0 && rules.Acquisition[names[i] + 1])
            {
                acquired = i;
            }

            if (activated < 0 && rules.Activation[names[i] + 1])
            {
                activated = i;
            }

            if (touch < 0 && channels[i] >= 0)
            {
                touch = i;
            }
        }

        var stamp = p + 1;
        var acquiredIn = acquired < 0 ? int.MaxValue : periods[acquired];
        if (acquired >= 0)
        {
            var row = totals.At(acquiredIn);
            row.Acquired++;
            row.Referred += touch >= 0 && rules.Referred[channels[touch] + 1] ? 1 : 0;
            row.ActivatedOnArrival += activated >= 0 && periods[activated] == acquiredIn ? 1 : 0;
        }

        if (activated >= 0)
        {
            totals.At(periods[activated]).Activated++;
        }

        var revenue = columns.Revenue;
        for (var i = from; i < end; i++)
        {
            var period = periods[i];
            var k = period - totals.First;
            var code = names[i] + 1;
            if (period > acquiredIn && rules.Retention[code] && totals.RetainedStamp[k] != stamp)
            {
                totals.RetainedStamp[k] = stamp;
                totals.Periods[k].Retained++;
            }

            if (rules.Revenue[code] && !double.IsNaN(revenue[i]))
            {
                totals.Periods[k].Revenue += revenue[i];
                if (revenue[i] > 0 && totals.PayingStamp[k] != stamp)
                {
                    totals.PayingStamp[k] = stamp;
                    totals.Periods[k].Paying++;
                }
            }

            if (rules.Referral[code] && totals.ReferrerStamp[k] != stamp)
            {
                totals.ReferrerStamp[k] = stamp;
                totals.Periods[k].Referrers++;
            }
        }
    }

    /// <summary>Per event or channel code + 1 (so that -1, no value, is index 0): whether the rule holds.</summary>
    private sealed class Rules(EventColumns columns, AarrrOptions options)
    {
        internal bool[] Acquisition { get; } = PersonKernel.CodeSet(columns.Event, options.AcquisitionEvents);

        internal bool[] Activation { get; } = PersonKernel.CodeSet(columns.Event, options.ActivationEvents);

        internal bool[] Retention { get; } = PersonKernel.CodeSet(columns.Event, options.RetentionEvents);

        internal bool[] Revenue { get; } = PersonKernel.CodeSet(columns.Event, options.RevenueEvents);

        internal bool[] Referral { get; } = PersonKernel.CodeSet(columns.Event, options.ReferralEvents);

        internal bool[] Referred { get; } = PersonKernel.CodeSet(columns.Channel, options.ReferredChannels);
    }

    /// <summary>One range's counts, and per period the last person counted in it (so each person counts once per period).</summary>
    private sealed class Totals
    {
        internal Totals(int first, int count)
        {
            First = first;
            Periods = [.. Enumerable.Range(first, count).Select(p => new AarrrPeriod(p))];
            RetainedStamp = new int[count];
            PayingStamp = new int[count];
            ReferrerStamp = new int[count];
        }

        internal int First { get; }

        internal AarrrPeriod[] Periods { get; }

        internal int[] RetainedStamp { get; }

        internal int[] PayingStamp { get; }

        internal int[] ReferrerStamp { get; }

        internal AarrrPeriod At(int period) => Periods[period - First];
    }
}
