using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Retention;

namespace Pretzel.Analytics.Paths;

/// <summary>The text options report records share, parsed one way: a bad value is a <see cref="PathException"/> naming the option.</summary>
public static class ReportArguments
{
    /// <summary><c>day</c>, <c>week</c> or <c>month</c> (the default, for null).</summary>
    public static PeriodUnit Period(string? text, string option) => text switch
    {
        null or "month" => PeriodUnit.Month,
        "week" => PeriodUnit.Week,
        "day" => PeriodUnit.Day,
        _ => throw new PathException($"{option} {text}: expected day, week or month"),
    };

    /// <summary>An IANA time zone (UTC for null).</summary>
    public static TimeZoneInfo TimeZone(string? id)
    {
        try
        {
            return id is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new PathException($"time zone '{id}': not known; use an IANA name such as Europe/Berlin or UTC");
        }
    }

    /// <summary>A date or date-time (ISO 8601), as <c>--to</c> takes it.</summary>
    public static DateTime Time(string text, string option)
    {
        try
        {
            return FunnelArguments.ParseTime(text);
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message.Replace("--to", option, StringComparison.Ordinal));
        }
    }

    /// <summary>Comma-separated names, trimmed; null for null.</summary>
    public static List<string>? Names(string? text) => text is null ? null : [.. text.Split(',', StringSplitOptions.TrimEntries)];
}
