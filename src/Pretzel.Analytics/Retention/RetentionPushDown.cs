using System.Globalization;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.PushDown;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Retention;

/// <summary>
/// The retention table as one ClickHouse query, for a store that pushes analyses down (<see cref="IPushDownStore"/>):
/// each person's first start event in stream order (time, then message id) fixes their cohort, their events from it on
/// are summed per period, and one row per group, cohort and period comes back (people, active people, revenue) instead
/// of every event's columns. It covers the table without <c>--summary</c>, <c>--fit</c> or a segment
/// breakdown (<c>--by first_touch_channel</c> is covered); the rest runs as <see cref="RetentionKernel"/>.
/// <para>
/// Periods are computed by ClickHouse in the analysis's time zone (its own copy of the IANA rules, as .NET reads the
/// system's), for events from 1970 on (ClickHouse 18.16's DateTime starts there). Revenue is summed in another order
/// than the kernel's, so a sum may differ in its last bits; the rows, rounded to 6 decimals, agree (cross-store tests).
/// </para>
/// </summary>
public static class RetentionPushDown
{
    /// <summary>Whether <paramref name="store"/> should be asked for this report in SQL.</summary>
    public static bool Applies(IEventStore store, RetentionReport report)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(report);
        return ClickHouseReportSql.Applies(store)
            && !report.Summary && report.Fit is null && report.By is null or RetentionOptions.FirstTouchChannel;
    }

    /// <summary>The report's table, computed by <paramref name="store"/>'s engine.</summary>
    public static async Task<ReportTable> RunAsync(IEventStore store, RetentionReport report, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(report);
        var options = report.Options(await ClickHouseReportSql.EndAsync(store, report.To, now, cancellationToken).ConfigureAwait(false));
        var result = await store.QueryAsync(Sql(options, store.Dialect), cancellationToken).ConfigureAwait(false);
        var lastPeriod = ClickHouseReportSql.PeriodOf(options.To, options.Unit, options.TimeZone);
        var cohorts = new Dictionary<(string? Group, int Cohort), RetentionCohort>();
        foreach (var row in result.Rows)
        {
            var group = options.By is null ? null : (string?)row[0] ?? RetentionOptions.NoChannel;
            var cohortPeriod = Convert.ToInt32(row[1], CultureInfo.InvariantCulture);
            var k = Convert.ToInt32(row[2], CultureInfo.InvariantCulture);
            if (!cohorts.TryGetValue((group, cohortPeriod), out var cohort))
            {
                cohorts[(group, cohortPeriod)] = cohort = new RetentionCohort(group, cohortPeriod, lastPeriod - cohortPeriod + 1);
            }

            if (k == 0)
            {
                // Everyone's start event is in their cohort's own period.
                cohort.Size = Convert.ToInt64(row[3], CultureInfo.InvariantCulture);
            }

            cohort.Active[k] = Convert.ToInt64(row[4], CultureInfo.InvariantCulture);
            cohort.Revenue[k] = Convert.ToDouble(row[5], CultureInfo.InvariantCulture);
        }

        var ordered = cohorts.Values.OrderBy(c => c.Group, StringComparer.Ordinal).ThenBy(c => c.Cohort).ToList();
        return RetentionRows.Table(ordered, options);
    }

    /// <summary>
    /// The query: rows of <c>grp, cohort, k, people, active, revenue</c> per group, cohort period and period index k,
    /// for the (group, cohort, k) that have events from a start event on.
    /// </summary>
    public static string Sql(RetentionOptions options, ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dialect);
        options.Validate();
        if (options.Segments is not null || options.By is not (null or RetentionOptions.FirstTouchChannel))
        {
            throw new ArgumentException("retention by segment has no SQL form: it runs as the kernel", nameof(options));
        }

        var period = ClickHouseReportSql.Period("timestamp_us", options.Unit, options.TimeZone, dialect);
        var to = EventTime.ToMicros(options.To).ToString(CultureInfo.InvariantCulture);

        // First, per person (over the whole cluster, so GLOBAL: a person's devices may sit on different shards): the
        // start key (time, message id) of the first start event in stream order, its period (the cohort) and the group.
        // Then every event from that key on, per person and period: any return event, the revenue; then per group,
        // cohort and period: people (all at period 0), active people, revenue.
        var startPeriod = ClickHouseReportSql.Period("skt", options.Unit, options.TimeZone, dialect);
        var start = ClickHouseReportSql.Names(options.StartEvents, dialect);
        var group = options.By is null
            ? "''"
            : "if(countIf(channel IS NOT NULL) > 0, tupleElement(minIf((timestamp_us, message_id, assumeNotNull(channel)), channel IS NOT NULL), 3), NULL)";
        return $"""
            SELECT g0 AS grp, c0 AS cohort, k, count() AS people, countIf(ret = 1) AS active, sum(rev) AS revenue
            FROM (
                SELECT person_id, g0, c0, toInt32({period}) - c0 AS k, max(toUInt8({ClickHouseReportSql.Names(options.ReturnEvents, dialect)})) AS ret,
                       sum(ifNull(revenue, 0)) AS rev
                FROM person_events
                GLOBAL ALL INNER JOIN (
                    SELECT person_id, tupleElement(minIf((timestamp_us, message_id), {start}), 1) AS skt,
                           tupleElement(minIf((timestamp_us, message_id), {start}), 2) AS skm,
                           toInt32({startPeriod}) AS c0, {group} AS g0
                    FROM person_events
                    WHERE person_id IS NOT NULL AND timestamp_us <= toInt64({to})
                    GROUP BY person_id
                    HAVING countIf({start}) > 0
                ) USING person_id
                WHERE timestamp_us <= toInt64({to}) AND (timestamp_us > skt OR (timestamp_us = skt AND message_id >= skm))
                GROUP BY person_id, g0, c0, k
            )
            GROUP BY g0, c0, k
            """;
    }
}
