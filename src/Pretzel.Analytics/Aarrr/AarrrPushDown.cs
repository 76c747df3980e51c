using System.Globalization;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.PushDown;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// The AARRR table as two ClickHouse queries, for a store that pushes analyses down (<see cref="IPushDownStore"/>).
/// Only periods matter here, not the order of events within a microsecond, so plain aggregates do: per person the
/// period of the first acquisition and activation event and the first touch's channel (the first event with a channel
/// by time, then message id); then per period the people acquired, referred, activated on arrival and activated; and,
/// over the events joined to their person's acquisition period (a <c>GLOBAL</c> join: a person's devices may sit on
/// different shards), per period the revenue, payers, referrers and retained people. Periods are ClickHouse's local
/// ones (see <see cref="ClickHouseReportSql.Period"/>); revenue is summed in another order than the kernel's, and
/// rounded to cents as there.
/// </summary>
public static class AarrrPushDown
{
    /// <summary>Whether <paramref name="store"/> should be asked for the table in SQL.</summary>
    public static bool Applies(IEventStore store) => ClickHouseReportSql.Applies(store);

    /// <summary>The report's table, computed by <paramref name="store"/>'s engine.</summary>
    public static async Task<ReportTable> RunAsync(IEventStore store, AarrrReport report, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(report);
        var to = report.To is not null
            ? ReportArguments.Time(report.To, "--to")
            : await ClickHouseReportSql.LastEventAsync(store, now, cancellationToken).ConfigureAwait(false);
        var options = report.Options(to);
        var (people, events) = Sql(options, store.Dialect);
        var byPeople = await store.QueryAsync(people, cancellationToken).ConfigureAwait(false);
        var byEvents = await store.QueryAsync(events, cancellationToken).ConfigureAwait(false);
        if (byEvents.Rows.Count == 0)
        {
            return AarrrRows.Table([], options);
        }

        int Int(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);
        long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
        var toMicros = EventTime.ToMicros(options.To);
        var end = new Retention.LocalCalendar(options.TimeZone, options.Unit, toMicros, toMicros).Period(toMicros);
        var first = Math.Min(end, byEvents.Rows.Min(r => Int(r[0])));
        var last = Math.Max(end, byEvents.Rows.Max(r => Int(r[0])));
        var periods = Enumerable.Range(first, last - first + 1).Select(p => new AarrrPeriod(p)).ToArray();
        foreach (var row in byEvents.Rows)
        {
            var p = periods[Int(row[0]) - first];
            p.Revenue = Convert.ToDouble(row[1], CultureInfo.InvariantCulture);
            p.Paying = Long(row[2]);
            p.Referrers = Long(row[3]);
            p.Retained = Long(row[4]);
        }

        foreach (var row in byPeople.Rows)
        {
            var p = periods[Int(row[1]) - first];
            if (Int(row[0]) == 1)
            {
                p.Acquired = Long(row[2]);
                p.Referred = Long(row[3]);
                p.ActivatedOnArrival = Long(row[4]);
            }
            else
            {
                p.Activated = Long(row[2]);
            }
        }

        return AarrrRows.Table(periods, options);
    }

    /// <summary>
    /// The two queries: per person, rows of <c>kind</c> (1 acquisition, 2 activation), <c>period</c> and three counts
    /// (acquired, referred, activated on arrival; or activated, 0, 0); per event period, <c>period, income, paying,
    /// referrers, retained</c>.
    /// </summary>
    public static (string People, string Events) Sql(AarrrOptions options, ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dialect);
        options.Validate();
        var to = EventTime.ToMicros(options.To).ToString(CultureInfo.InvariantCulture);
        string Period(string micros) => ClickHouseReportSql.Period(micros, options.Unit, options.TimeZone, dialect);
        string Names(IReadOnlyList<string>? names) => ClickHouseReportSql.Names(names, dialect);
        var acquisition = Names(options.AcquisitionEvents);
        var activation = Names(options.ActivationEvents);
        var referred = string.Join(", ", options.ReferredChannels.Select(dialect.StringLiteral));
        var scope = $"person_id IS NOT NULL AND timestamp_us <= toInt64({to})";

        var people = $"""
            SELECT tupleElement(x, 1) AS kind, tupleElement(x, 2) AS period, sum(tupleElement(x, 3)) AS a, sum(tupleElement(x, 4)) AS b, sum(tupleElement(x, 5)) AS c
            FROM (
                SELECT arrayJoin(arrayFilter(x -> tupleElement(x, 1) > 0, [
                           (toUInt8(if(acquired, 1, 0)), acquired_in, toUInt64(1), toUInt64(touch IN ({referred})), toUInt64(activated AND activated_in = acquired_in)),
                           (toUInt8(if(activated, 2, 0)), activated_in, toUInt64(1), toUInt64(0), toUInt64(0))])) AS x
                FROM (
                    SELECT countIf({acquisition}) > 0 AS acquired, {Period($"minIf(timestamp_us, {acquisition})")} AS acquired_in,
                           countIf({activation}) > 0 AS activated, {Period($"minIf(timestamp_us, {activation})")} AS activated_in,
                           if(countIf(channel IS NOT NULL) > 0, tupleElement(minIf((timestamp_us, message_id, assumeNotNull(channel)), channel IS NOT NULL), 3), '') AS touch
                    FROM person_events
                    WHERE {scope}
                    GROUP BY person_id
                )
            )
            GROUP BY kind, period
            """;

        var revenue = $"({Names(options.RevenueEvents)}) AND revenue IS NOT NULL";
        var events = $"""
            SELECT {Period("timestamp_us")} AS period,
                   sumIf(assumeNotNull(revenue), {revenue}) AS income,
                   uniqExactIf(person_id, {revenue} AND revenue > 0) AS paying,
                   uniqExactIf(person_id, {Names(options.ReferralEvents)}) AS referrers,
                   uniqExactIf(person_id, ({Names(options.RetentionEvents)}) AND acquired AND period > acquired_in) AS retained
            FROM person_events
            GLOBAL ANY LEFT JOIN (
                SELECT person_id, countIf({acquisition}) > 0 AS acquired, {Period($"minIf(timestamp_us, {acquisition})")} AS acquired_in
                FROM person_events
                WHERE {scope}
                GROUP BY person_id
            ) USING person_id
            WHERE {scope}
            GROUP BY period
            """;
        return (people, events);
    }
}
