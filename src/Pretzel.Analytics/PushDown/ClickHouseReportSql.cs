using System.Globalization;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.PushDown;

/// <summary>What the reports pushed down to ClickHouse share: when to push down, local periods in SQL, event name sets, and the default end.</summary>
internal static class ClickHouseReportSql
{
    /// <summary>Whether <paramref name="store"/> wants analyses as SQL now (ClickHouse, push-down on, no columns held).</summary>
    internal static bool Applies(IEventStore store) => store is IPushDownStore { PushesDown: true } && store.Dialect.Name == "clickhouse";

    /// <summary>
    /// The local calendar period (<see cref="LocalCalendar"/>'s numbering) of <paramref name="micros"/> (an SQL expression of
    /// microseconds since 1970), in <paramref name="zone"/>: months as year·12 + month − 1, days since 1970, ISO weeks as
    /// ⌊(day + 3) / 7⌋. ClickHouse applies its own copy of the zone's rules; its DateTime starts in 1970.
    /// </summary>
    internal static string Period(string micros, PeriodUnit unit, TimeZoneInfo zone, ISqlDialect dialect)
    {
        var local = $"toDateTime(intDiv({micros}, 1000000), {dialect.StringLiteral(zone.Id)})";
        return unit switch
        {
            PeriodUnit.Month => $"toInt32(toYear({local}) * 12 + toMonth({local}) - 1)",
            PeriodUnit.Day => $"toInt32(toRelativeDayNum({local}))",
            _ => $"toInt32(intDiv(toRelativeDayNum({local}) + 3, 7))",
        };
    }

    /// <summary>The period holding <paramref name="utc"/>, as <see cref="Period"/> numbers them.</summary>
    internal static int PeriodOf(DateTime utc, PeriodUnit unit, TimeZoneInfo zone)
    {
        var micros = EventTime.ToMicros(utc);
        return new LocalCalendar(zone, unit, micros, micros).Period(micros);
    }

    /// <summary>An event of <c>person_events</c> whose name is one of <paramref name="names"/> (any event when null), as 0 or 1.</summary>
    internal static string Names(IReadOnlyList<string>? names, ISqlDialect dialect) =>
        names is null ? "1" : $"ifNull(event IN ({string.Join(", ", names.Select(dialect.StringLiteral))}), 0)";

    /// <summary>
    /// The end of an analysis: <paramref name="to"/> (<c>--to</c>) when given, else as the kernels take it, the last event of
    /// anyone with a person, or <paramref name="now"/> without events.
    /// </summary>
    internal static async Task<DateTime> EndAsync(IEventStore store, string? to, DateTime now, CancellationToken cancellationToken)
    {
        if (to is not null)
        {
            return Paths.ReportArguments.Time(to, "--to");
        }

        var last = await store.QueryAsync("SELECT count(), max(timestamp_us) FROM person_events WHERE person_id IS NOT NULL", cancellationToken).ConfigureAwait(false);
        var row = last.Rows.Single();
        return Convert.ToInt64(row[0], CultureInfo.InvariantCulture) > 0 ? EventTime.FromMicros(Convert.ToInt64(row[1], CultureInfo.InvariantCulture)) : now;
    }
}
