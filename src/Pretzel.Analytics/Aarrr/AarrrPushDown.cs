using System.Globalization;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.PushDown;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// The AARRR table as one ClickHouse query, for a store that pushes analyses down (<see cref="IPushDownStore"/>).
/// Only periods matter here, not the order of events within a microsecond, so plain aggregates do: per person the
/// period of the first acquisition and activation event and the first touch's channel (the first event with a channel
/// by time, then message id); then, over the events joined to those (a <c>GLOBAL</c> join: a person's devices may sit
/// on different shards), per period the people acquired, referred, activated on arrival and activated, the revenue,
/// payers, referrers and retained people. Periods are ClickHouse's local
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
        var options = report.Options(await ClickHouseReportSql.EndAsync(store, report.To, now, cancellationToken).ConfigureAwait(false));
        var result = await store.QueryAsync(Sql(options, store.Dialect), cancellationToken).ConfigureAwait(false);
        if (result.Rows.Count == 0)
        {
            return AarrrRows.Table([], options);
        }

        int Int(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);
        long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
        var end = ClickHouseReportSql.PeriodOf(options.To, options.Unit, options.TimeZone);
        var first = Math.Min(end, result.Rows.Min(r => Int(r[0])));
        var last = Math.Max(end, result.Rows.Max(r => Int(r[0])));
        var periods = Enumerable.Range(first, last - first + 1).Select(p => new AarrrPeriod(p)).ToArray();
        foreach (var row in result.Rows)
        {
            var p = periods[Int(row[0]) - first];
            p.Acquired = Long(row[1]);
            p.Referred = Long(row[2]);
            p.ActivatedOnArrival = Long(row[3]);
            p.Activated = Long(row[4]);
            p.Revenue = Convert.ToDouble(row[5], CultureInfo.InvariantCulture);
            p.Paying = Long(row[6]);
            p.Referrers = Long(row[7]);
            p.Retained = Long(row[8]);
        }

        return AarrrRows.Table(periods, options);
    }

    /// <summary>
    /// The query: per period with events, <c>period, acquired, referred, activated_on_arrival, activated, income, paying,
    /// referrers, retained</c>. Each person has an event in the period of their first acquisition (and activation) event,
    /// so counting distinct people among the events of that period counts each of them once.
    /// </summary>
    public static string Sql(AarrrOptions options, ISqlDialect dialect)
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
        var revenue = $"({Names(options.RevenueEvents)}) AND revenue IS NOT NULL";
        var arrived = "acquired AND period = acquired_in";
        return $"""
            SELECT {Period("timestamp_us")} AS period,
                   uniqExactIf(person_id, {arrived}) AS acquired_people,
                   uniqExactIf(person_id, {arrived} AND touch IN ({referred})) AS referred_people,
                   uniqExactIf(person_id, {arrived} AND activated AND activated_in = acquired_in) AS activated_on_arrival,
                   uniqExactIf(person_id, activated AND period = activated_in) AS activated_people,
                   sumIf(assumeNotNull(revenue), {revenue}) AS income,
                   uniqExactIf(person_id, {revenue} AND revenue > 0) AS paying,
                   uniqExactIf(person_id, {Names(options.ReferralEvents)}) AS referrers,
                   uniqExactIf(person_id, ({Names(options.RetentionEvents)}) AND acquired AND period > acquired_in) AS retained
            FROM person_events
            GLOBAL ANY LEFT JOIN (
                SELECT person_id,
                       countIf({acquisition}) > 0 AS acquired, {Period($"minIf(timestamp_us, {acquisition})")} AS acquired_in,
                       countIf({activation}) > 0 AS activated, {Period($"minIf(timestamp_us, {activation})")} AS activated_in,
                       if(countIf(channel IS NOT NULL) > 0, tupleElement(minIf((timestamp_us, message_id, assumeNotNull(channel)), channel IS NOT NULL), 3), '') AS touch
                FROM person_events
                WHERE {scope}
                GROUP BY person_id
            ) USING person_id
            WHERE {scope}
            GROUP BY period
            """;
    }
}
