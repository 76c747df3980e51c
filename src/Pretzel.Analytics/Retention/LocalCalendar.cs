using System.Globalization;
using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Retention;

/// <summary>Calendar periods reports group by: days, weeks (Monday to Sunday, as ISO 8601) or months.</summary>
public enum PeriodUnit
{
    Day,
    Week,
    Month,
}

/// <summary>
/// Calendar periods of instants in a time zone: an instant (UTC microseconds) → its local day, week or month as one
/// integer, consecutive periods being consecutive integers. Built for a span of time, it answers with two array
/// reads: the UTC offset of each quarter hour of the span (every zone's transitions fall on quarter hours), then the
/// local day's period. Outside the span it falls back to <see cref="TimeZoneInfo"/>.
/// </summary>
public sealed class LocalCalendar
{
    private const long MicrosPerDay = 86_400_000_000;
    private const long Quarter = 15 * 60 * 1_000_000L;

    private readonly TimeZoneInfo _zone;
    private readonly PeriodUnit _unit;
    private readonly bool _utc;
    private readonly long _first;
    private readonly int[] _offsetMinutes;
    private readonly int _firstDay;
    private readonly int[] _dayPeriod;

    /// <summary>A calendar for instants in [<paramref name="fromMicros"/>, <paramref name="toMicros"/>] (UTC microseconds).</summary>
    public LocalCalendar(TimeZoneInfo zone, PeriodUnit unit, long fromMicros, long toMicros)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _zone = zone;
        _unit = unit;
        _utc = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;
        if (toMicros < fromMicros)
        {
            (fromMicros, toMicros) = (0, -1);
        }

        _first = FloorDiv(fromMicros, Quarter) * Quarter;
        var quarters = toMicros < fromMicros ? 0 : checked((int)(((toMicros - _first) / Quarter) + 1));
        _offsetMinutes = _utc ? [] : Offsets(zone, _first, quarters);
        if (quarters == 0)
        {
            _dayPeriod = [];
            return;
        }

        _firstDay = (int)FloorDiv(fromMicros, MicrosPerDay) - 1;
        var lastDay = (int)FloorDiv(toMicros, MicrosPerDay) + 1;
        _dayPeriod = new int[lastDay - _firstDay + 1];
        for (var d = 0; d < _dayPeriod.Length; d++)
        {
            _dayPeriod[d] = PeriodOfDay(_firstDay + d, unit);
        }
    }

    public PeriodUnit Unit => _unit;

    /// <summary>The period of an instant (UTC microseconds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Period(long micros)
    {
        long local;
        if (_utc)
        {
            local = micros;
        }
        else
        {
            var q = (micros - _first) / Quarter;
            if (micros < _first || q >= _offsetMinutes.Length)
            {
                return Slow(micros);
            }

            local = micros + (_offsetMinutes[q] * 60_000_000L);
        }

        var day = (int)FloorDiv(local, MicrosPerDay) - _firstDay;
        return (uint)day < (uint)_dayPeriod.Length ? _dayPeriod[day] : PeriodOfDay(day + _firstDay, _unit);
    }

    /// <summary>The label of a period: <c>2025-03</c> for a month, the first day (<c>2025-03-03</c>) for a week or a day.</summary>
    public static string Label(int period, PeriodUnit unit) => unit switch
    {
        PeriodUnit.Month => $"{FloorDiv(period, 12):D4}-{(((period % 12) + 12) % 12) + 1:D2}",
        _ => DateOnly.FromDayNumber(FirstDay(period, unit)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>The local day (days since 0001-01-01, as <see cref="DateOnly.DayNumber"/>) a period starts on.</summary>
    public static int FirstDay(int period, PeriodUnit unit) => unit switch
    {
        PeriodUnit.Day => period + EpochDayNumber,
        PeriodUnit.Week => (period * 7) - 3 + EpochDayNumber,
        _ => new DateOnly((int)FloorDiv(period, 12), (((period % 12) + 12) % 12) + 1, 1).DayNumber,
    };

    /// <summary>The period holding a local day given as days since 1970-01-01.</summary>
    public static int PeriodOfDay(int epochDay, PeriodUnit unit)
    {
        switch (unit)
        {
            case PeriodUnit.Day:
                return epochDay;
            case PeriodUnit.Week:
                // 1970-01-01 was a Thursday: Monday-based weeks start at epoch days ≡ 4 (mod 7).
                return (int)FloorDiv(epochDay + 3, 7);
            default:
                var date = DateOnly.FromDayNumber(epochDay + EpochDayNumber);
                return (date.Year * 12) + date.Month - 1;
        }
    }

    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    private int Slow(long micros)
    {
        var utc = DateTime.UnixEpoch.AddTicks(micros * 10);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, _zone);
        return PeriodOfDay((int)FloorDiv((local - DateTime.UnixEpoch).Ticks, TimeSpan.TicksPerDay), _unit);
    }

    private static int[] Offsets(TimeZoneInfo zone, long first, int quarters)
    {
        var offsets = new int[quarters];
        var previous = int.MinValue;
        for (var q = 0; q < quarters; q++)
        {
            // Offsets change rarely: look one up per hour and per quarter only around a change.
            if (q % 4 == 0 || previous == int.MinValue)
            {
                offsets[q] = Offset(zone, first + (q * Quarter));
                if (q > 0 && offsets[q] != previous)
                {
                    for (var back = Math.Max(0, q - 3); back < q; back++)
                    {
                        offsets[back] = Offset(zone, first + (back * Quarter));
                    }
                }
            }
            else
            {
                offsets[q] = previous;
            }

            previous = offsets[q];
        }

        return offsets;
    }

    private static int Offset(TimeZoneInfo zone, long micros) =>
        (int)zone.GetUtcOffset(DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(micros * 10), DateTimeKind.Utc)).TotalMinutes;

    private static long FloorDiv(long a, long b) => (a / b) - (((a % b) != 0 && ((a < 0) ^ (b < 0))) ? 1 : 0);
}
