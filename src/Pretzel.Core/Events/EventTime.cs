namespace Pretzel.Core.Events;

/// <summary>
/// Event times as the stores keep them exactly: whole microseconds since 1970-01-01 UTC (an integer),
/// the precision both engines share.
/// </summary>
public static class EventTime
{
    /// <summary>Microseconds since the Unix epoch of a UTC time (a local time is converted first).</summary>
    public static long ToMicros(DateTime time) =>
        ((time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The UTC time of <paramref name="micros"/> microseconds since the Unix epoch.</summary>
    public static DateTime FromMicros(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10);
}
