using System.Globalization;
using System.Text;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// The funnel as one ClickHouse query, for a store that pushes analyses down (<see cref="IPushDownStore"/>): each
/// shard collects every person's step times, the chains and the per-person outcome are computed in arrays, and one
/// row of counts and percentiles comes back instead of every event's columns.
/// <para>
/// It covers the most common shape: an ordered, closed funnel counting people, with one window and steps that are
/// event fields or property conditions, whole or broken down <c>--by</c> a field (no stage steps, per-step windows or
/// exclusions). For those the earliest next event is always the best, so each attempt's chain is found greedily: from
/// each step-1 event at t0, step k's time is the earliest step-k time strictly after step k−1's, and the attempt
/// reaches step k when that time is at most t0 + window. A person's level is the best attempt's; they are still in
/// their window when an attempt that stopped at that level has t0 + window after the end of the analysis; their time
/// to step k is the shortest over attempts that reached it. With <c>--by</c> a field, the group is that field of the
/// step-1 event of the earliest attempt (by time, then message id) that reached the person's level; with
/// <c>first_touch</c> or <c>last_touch</c>, the channel of the person's first or last event (in stream order) that has
/// one. This is <see cref="FunnelReference"/>'s definition for this shape, and the cross-store tests compare both on
/// random funnels.
/// </para>
/// <para>
/// ClickHouse 18.16 lambdas cannot name columns of the row, only their own parameters, so every array a lambda
/// needs is passed to it as a parameter (a step's times repeated once per attempt).
/// </para>
/// </summary>
public static class FunnelPushDown
{
    // Where no later step event exists: compares greater than any time plus any window.
    private const string Never = "toInt64(9223372036854775807)";

    /// <summary>Whether <paramref name="options"/> have a SQL form here (see the class summary); the rest run as the kernel.</summary>
    public static bool Supports(FunnelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Order == FunnelOrder.Ordered && !options.Open && options.Count == FunnelCount.People
            && options.StepWindows.Count == 0 && options.Exclude is null
            && options.By is null or "channel" or "source" or "medium" or "campaign" or "type" or "first_touch" or "last_touch"
            && options.Steps.All(s => s.Stage is null);
    }

    /// <summary>Whether <paramref name="store"/> should be asked for <paramref name="options"/> in SQL.</summary>
    public static bool Applies(IEventStore store, FunnelOptions options) =>
        PushDown.ClickHouseReportSql.Applies(store) && Supports(options);

    /// <summary>The funnel's rows, computed by <paramref name="store"/>'s engine.</summary>
    public static async Task<IReadOnlyList<FunnelRow>> RunAsync(IEventStore store, FunnelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var result = await store.QueryAsync(Sql(options, store.Dialect), cancellationToken).ConfigureAwait(false);
        if (options.By is null)
        {
            // No people: no group row, and every count is 0.
            return Rows(options, null, result.Rows.Count == 0 ? null : result.Rows.Single());
        }

        // Groups in ordinal order, people without a value as (none), as the kernel orders them.
        return [.. result.Rows
            .Select(r => (Group: r[0] as string ?? "(none)", Row: r))
            .OrderBy(g => g.Group, StringComparer.Ordinal)
            .SelectMany(g => Rows(options, g.Group, g.Row))];
    }

    /// <summary>
    /// The query: one row with, per step k (0-based), <c>reach_k</c>, <c>dropped_k</c>, <c>in_window_k</c> and for
    /// k ≥ 1 the nearest-rank median and 90th percentile of the microseconds to step k (<c>median_k</c>, <c>p90_k</c>).
    /// </summary>
    public static string Sql(FunnelOptions options, ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dialect);
        if (!Supports(options))
        {
            throw new FunnelException("this funnel has no SQL form (only ordered, closed funnels of people with one window, without stage steps, per-step windows or exclusions, whole or by an event field or first or last touch)");
        }

        var n = options.Steps.Count;
        var window = Literal(options.Window.Ticks / 10);
        var to = Literal(EventTime.ToMicros(options.To));
        var conditions = options.Steps.Select(s => Condition(s, dialect)).ToList();

        // Innermost: each person's times per step (sorted), over the events that match any step; with a breakdown by a
        // field, the step-1 events' field in the same order (time, then message id, as the stream's order).
        var collect = new StringBuilder("SELECT ");
        var byField = options.By is not (null or "first_touch" or "last_touch");
        for (var k = 0; k < n; k++)
        {
            if (k == 0 && byField)
            {
                collect.Append(CultureInfo.InvariantCulture, $"arraySort(groupArrayIf((timestamp_us, message_id, {dialect.Text(options.By!)}), {conditions[0]})) AS a0, ");
                collect.Append("arrayMap(x -> tupleElement(x, 1), a0) AS s0, arrayMap(x -> tupleElement(x, 3), a0) AS f0, ");
                continue;
            }

            collect.Append(CultureInfo.InvariantCulture, $"arraySort(groupArrayIf(timestamp_us, {conditions[k]})) AS s{k}, ");
        }

        // First or last touch: the channel of the person's first or last event with one, so every event is read.
        var touch = options.By is "first_touch" or "last_touch";
        if (touch)
        {
            var pick = options.By == "first_touch" ? "minIf" : "maxIf";
            collect.Append(CultureInfo.InvariantCulture,
                $"if(countIf(channel IS NOT NULL) > 0, tupleElement({pick}((timestamp_us, message_id, assumeNotNull(channel)), channel IS NOT NULL), 3), NULL) AS touch, ");
        }

        var anyStep = touch ? "" : $" AND ({string.Join(" OR ", conditions.Select(c => $"({c})"))})";
        collect.Append(CultureInfo.InvariantCulture, $"""
            person_id
            FROM person_events
            WHERE person_id IS NOT NULL AND timestamp_us <= {to}{anyStep}
            GROUP BY person_id
            HAVING length(s0) > 0
            """);

        // Per person: t_k per attempt (t0 = s0), the attempts' levels, the person's level, times and window.
        var person = new StringBuilder($"SELECT {(options.By is null ? "''" : options.By is "first_touch" or "last_touch" ? "touch" : "f0[indexOf(levels, level)]")} AS grp, s0 AS t0, ");
        for (var k = 1; k < n; k++)
        {
            // The earliest step-k time after t_{k−1}, or Never; step k's times (with Never appended) go to the lambda once per attempt.
            person.Append(CultureInfo.InvariantCulture,
                $"arrayMap((t, s) -> if(t = {Never}, {Never}, arrayFirst(x -> x > t, s)), t{k - 1}, arrayResize([arrayPushBack(s{k}, {Never})], length(s0), arrayPushBack(s{k}, {Never}))) AS t{k}, ");
        }

        var times = string.Join(", ", Enumerable.Range(1, n - 1).Select(k => $"x{k}"));
        var reached = string.Join(" + ", Enumerable.Range(1, n - 1).Select(k => $"(x{k} <= b + {window})"));
        person.Append(CultureInfo.InvariantCulture, $"arrayMap((b, {times}) -> toInt32({reached}), t0, {string.Join(", ", Enumerable.Range(1, n - 1).Select(k => $"t{k}"))}) AS levels, ");
        person.Append("arrayReduce('max', levels) AS level, ");
        person.Append(CultureInfo.InvariantCulture, $"has(arrayMap((l, b) -> if(b + {window} > {to}, l, -1), levels, t0), level) AS open");
        for (var k = 1; k < n; k++)
        {
            person.Append(CultureInfo.InvariantCulture, $", arrayReduce('min', arrayMap((b, x, l) -> if(l >= {k}, x - b, {Never}), t0, t{k}, levels)) AS d{k}");
        }

        person.Append(" FROM (").Append(collect).Append(')');

        // Outer: the counts and percentiles per group.
        var outer = new StringBuilder("SELECT grp, ");
        for (var k = 0; k < n; k++)
        {
            if (k > 0)
            {
                outer.Append(", ");
            }

            outer.Append(CultureInfo.InvariantCulture, $"countIf(level >= {k}) AS reach_{k}, countIf(level = {k} AND NOT open) AS dropped_{k}, countIf(level = {k} AND open) AS in_window_{k}");
            if (k > 0)
            {
                outer.Append(CultureInfo.InvariantCulture, $", arraySort(groupArrayIf(d{k}, level >= {k})) AS ds{k}");
                outer.Append(CultureInfo.InvariantCulture, $", arrayElement(ds{k}, toUInt64(greatest(1, ceil(0.5 * length(ds{k}))))) AS median_{k}");
                outer.Append(CultureInfo.InvariantCulture, $", arrayElement(ds{k}, toUInt64(greatest(1, ceil(0.9 * length(ds{k}))))) AS p90_{k}");
            }
        }

        outer.Append(" FROM (").Append(person).Append(") GROUP BY grp");

        // Only the numbers leave the server, not the sorted times; one row per group.
        var columns = Enumerable.Range(0, n).SelectMany(k => k == 0
            ? [$"reach_{k}", $"dropped_{k}", $"in_window_{k}"]
            : new[] { $"reach_{k}", $"dropped_{k}", $"in_window_{k}", $"median_{k}", $"p90_{k}" });
        return $"SELECT grp, {string.Join(", ", columns)} FROM ({outer})";
    }

    private static IReadOnlyList<FunnelRow> Rows(FunnelOptions options, string? group, object?[]? row)
    {
        var n = options.Steps.Count;
        long At(int column) => row is null ? 0 : Convert.ToInt64(row[column], CultureInfo.InvariantCulture);
        var counts = new FunnelCounts(n);
        var percentiles = new (double? Median, double? P90)[n];
        var column = 1;
        for (var k = 0; k < n; k++)
        {
            var reach = At(column++);
            counts.Reach[k] = reach;
            counts.Dropped[k] = At(column++);
            counts.InWindow[k] = At(column++);
            if (k == 0)
            {
                continue;
            }

            // A closed funnel's attempts all start at step 1: reaching step k is coming from step k−1 and from the start.
            counts.Continued[k] = reach;
            counts.FromStart[k] = reach;
            percentiles[k] = reach == 0 ? (null, null) : (At(column) / 1_000_000.0, At(column + 1) / 1_000_000.0);
            column += 2;
        }

        return counts.Rows(options, group, percentiles);
    }

    /// <summary>An event of person_events meets the step: its field conditions and property conditions all hold.</summary>
    private static string Condition(FunnelStep step, ISqlDialect dialect)
    {
        var parts = step.Conditions.Select(c => $"ifNull({dialect.Text(c.Field)} = {dialect.StringLiteral(c.Value)}, 0)").ToList();
        if (step.PropertySql(dialect) is { } properties)
        {
            parts.Add($"({properties})");
        }

        return parts.Count == 0 ? "1" : string.Join(" AND ", parts);
    }

    private static string Literal(long value) => $"toInt64({value.ToString(CultureInfo.InvariantCulture)})";
}
