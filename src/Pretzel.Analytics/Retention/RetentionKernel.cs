using Pretzel.Analytics.Kernels;
using System.Runtime.CompilerServices;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Retention;

/// <summary>One cohort of one group: its size, and per period since its start the active people and the revenue.</summary>
public sealed class RetentionCohort
{
    internal RetentionCohort(string? group, int cohort, int periods)
    {
        Group = group;
        Cohort = cohort;
        Active = new long[periods];
        Revenue = new double[periods];
    }

    /// <summary>The group (e.g. a first-touch channel), or null when cohorts are not grouped.</summary>
    public string? Group { get; }

    /// <summary>The cohort's period (see <see cref="LocalCalendar"/>).</summary>
    public int Cohort { get; }

    public long Size { get; internal set; }

    /// <summary>Per period k = 0, 1, … up to the period holding the end of the analysis: people active in it.</summary>
    public long[] Active { get; }

    /// <summary>Per period k: the revenue of the cohort's people in it (from their start event on).</summary>
    public double[] Revenue { get; }

    /// <summary>People with a return event after their start event.</summary>
    public long Repeaters { get; internal set; }

    /// <summary>People whose last event is more than the churn window before the end.</summary>
    public long Churned { get; internal set; }

    /// <summary>Per person, the period (index k) of their last return event from the start on, or -1: the survival data.</summary>
    public List<int> LastActive { get; } = [];

    /// <summary>Days between consecutive return events (the start event first), over all the cohort's people.</summary>
    public List<double> Gaps { get; } = [];

    internal void Add(RetentionCohort other)
    {
        Size += other.Size;
        Repeaters += other.Repeaters;
        Churned += other.Churned;
        for (var k = 0; k < Active.Length; k++)
        {
            Active[k] += other.Active[k];
            Revenue[k] += other.Revenue[k];
        }

        LastActive.AddRange(other.LastActive);
        Gaps.AddRange(other.Gaps);
    }
}

/// <summary>
/// Retention over the event columns: one pass over each person's events (people in parallel ranges, merged in
/// order, so the sums are the same on every run). <see cref="RetentionReference"/> is the plain oracle.
/// </summary>
public static class RetentionKernel
{
    private const double MicrosPerDay = 86_400_000_000;

    /// <summary>The cohorts, ordered by group (ordinal, ungrouped first), then cohort; and the period holding the end.</summary>
    public static (IReadOnlyList<RetentionCohort> Cohorts, int LastPeriod) Compute(EventColumns columns, RetentionOptions options)
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

        var calendar = new LocalCalendar(options.TimeZone, options.Unit, Math.Min(min, to), to);
        var last = calendar.Period(to);
        var isStart = PersonKernel.CodeSet(columns.Event, options.StartEvents);
        var isReturn = PersonKernel.CodeSet(columns.Event, options.ReturnEvents);
        var byChannel = options.By == RetentionOptions.FirstTouchChannel;
        var segmentIds = SegmentIds(columns, options.Segments, out var segmentLabels);
        var churnBefore = to - (options.ChurnAfter.Ticks / 10);

        var ranges = PersonKernel.Ranges(columns.PersonCount);
        var partial = new Dictionary<long, RetentionCohort>[ranges.Length];
        Parallel.For(0, ranges.Length, r =>
        {
            var cohorts = new Dictionary<long, RetentionCohort>();
            for (var p = ranges[r].From; p < ranges[r].To; p++)
            {
                Person(columns, p, to, calendar, last, isStart, isReturn, byChannel, segmentIds, segmentLabels, churnBefore, cohorts);
            }

            partial[r] = cohorts;
        });

        var merged = new Dictionary<long, RetentionCohort>();
        foreach (var cohorts in partial)
        {
            foreach (var (key, cohort) in cohorts)
            {
                if (merged.TryGetValue(key, out var into))
                {
                    into.Add(cohort);
                }
                else
                {
                    merged[key] = cohort;
                }
            }
        }

        var ordered = merged.Values.OrderBy(c => c.Group, StringComparer.Ordinal).ThenBy(c => c.Cohort).ToList();
        return (ordered, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Person(EventColumns columns, int p, long to, LocalCalendar calendar, int last, bool[] isStart, bool[] isReturn,
        bool byChannel, int[]? segmentIds, string[] segmentLabels, long churnBefore, Dictionary<long, RetentionCohort> cohorts)
    {
        var micros = columns.Micros;
        var codes = columns.Event.Codes;
        var from = columns.PersonStart[p];
        var end = columns.PersonStart[p + 1];
        var start = -1;
        for (var i = from; i < end && micros[i] <= to; i++)
        {
            if (isStart[codes[i] + 1])
            {
                start = i;
                break;
            }
        }

        if (start < 0)
        {
            return;
        }

        string? group = null;
        var groupCode = -1;
        if (byChannel)
        {
            var channels = columns.Channel.Codes;
            for (var i = from; i < end && micros[i] <= to; i++)
            {
                if (channels[i] >= 0)
                {
                    groupCode = channels[i];
                    break;
                }
            }

            group = groupCode >= 0 ? columns.Channel.Labels[groupCode] : RetentionOptions.NoChannel;
        }
        else if (segmentIds is not null)
        {
            groupCode = segmentIds[p];
            group = segmentLabels[groupCode];
        }

        var cohortPeriod = calendar.Period(micros[start]);
        var key = ((long)(groupCode + 1) << 32) | (uint)cohortPeriod;
        if (!cohorts.TryGetValue(key, out var cohort))
        {
            cohorts[key] = cohort = new RetentionCohort(group, cohortPeriod, last - cohortPeriod + 1);
        }

        cohort.Size++;
        var revenue = columns.Revenue;
        var lastK = -1;
        var previousReturn = isReturn[codes[start] + 1] ? micros[start] : long.MinValue;
        var repeated = false;
        var lastEvent = micros[start];
        for (var i = start; i < end && micros[i] <= to; i++)
        {
            var k = calendar.Period(micros[i]) - cohortPeriod;
            lastEvent = micros[i];
            if (isReturn[codes[i] + 1])
            {
                if (k != lastK)
                {
                    cohort.Active[k]++;
                    lastK = k;
                }

                if (i > start)
                {
                    repeated = true;
                    if (previousReturn != long.MinValue)
                    {
                        cohort.Gaps.Add((micros[i] - previousReturn) / MicrosPerDay);
                    }

                    previousReturn = micros[i];
                }
            }

            if (!double.IsNaN(revenue[i]))
            {
                cohort.Revenue[k] += revenue[i];
            }
        }

        cohort.LastActive.Add(lastK);
        cohort.Repeaters += repeated ? 1 : 0;
        cohort.Churned += lastEvent < churnBefore ? 1 : 0;
    }

    /// <summary>With segments: per person, the index of their segment's label in <paramref name="labels"/> (<c>(none)</c> for people in none).</summary>
    private static int[]? SegmentIds(EventColumns columns, IReadOnlyDictionary<string, string>? segments, out string[] labels)
    {
        labels = [];
        if (segments is null)
        {
            return null;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var ids = new int[columns.PersonCount];
        for (var p = 0; p < ids.Length; p++)
        {
            var label = segments.GetValueOrDefault(columns.PersonIds[p]) ?? RetentionOptions.NoSegment;
            if (!index.TryGetValue(label, out var id))
            {
                index[label] = id = names.Count;
                names.Add(label);
            }

            ids[p] = id;
        }

        labels = [.. names];
        return ids;
    }
}
