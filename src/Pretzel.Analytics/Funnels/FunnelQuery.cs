using System.Collections;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// Runs a funnel over a store: the store hands over its person-sorted event columns (kept in memory by a
/// <see cref="ColumnCachingStore"/> where queries repeat) and <see cref="FunnelKernel"/> computes the rows; or, for a
/// store that pushes analyses down and a funnel with a SQL form, the store computes them (<see cref="FunnelPushDown"/>).
/// </summary>
public static class FunnelQuery
{
    /// <summary>The funnel's rows over every person in <paramref name="store"/>.</summary>
    public static async Task<IReadOnlyList<FunnelRow>> RunAsync(IEventStore store, FunnelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (FunnelPushDown.Applies(store, options))
        {
            return await FunnelPushDown.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
        }

        var kernel = await KernelAsync(store, options, cancellationToken).ConfigureAwait(false);
        return kernel.Rows();
    }

    /// <summary>Columns of <see cref="PeopleAsync"/>'s rows.</summary>
    public static IReadOnlyList<string> PeopleColumns { get; } = ["person_id", "first_seen", "last_seen", "first_touch", "last_touch", "events"];

    /// <summary>
    /// Who is at step <paramref name="step"/> with <paramref name="status"/>: person id, first and last event
    /// time, the channel of their first and last touch (events with a channel), and their event count, all
    /// within the analysis (up to its end); ordered by person id.
    /// </summary>
    public static async Task<IReadOnlyList<object?[]>> PeopleAsync(IEventStore store, FunnelOptions options, int step, FunnelStatus status, CancellationToken cancellationToken = default)
    {
        var kernel = await KernelAsync(store, options, cancellationToken).ConfigureAwait(false);
        var columns = kernel.Columns;
        var channel = columns.Channel;
        return [.. kernel.People(step, status).OrderBy(p => columns.PersonIds[p], StringComparer.Ordinal).Select(p =>
        {
            int first = columns.PersonStart[p], end = kernel.End(p);
            string? firstTouch = null, lastTouch = null;
            for (var i = first; i < end; i++)
            {
                if (channel.Codes[i] >= 0)
                {
                    firstTouch ??= channel[i];
                    lastTouch = channel[i];
                }
            }

            return new object?[]
            {
                columns.PersonIds[p], EventTime.FromMicros(columns.Micros[first]), EventTime.FromMicros(columns.Micros[end - 1]),
                firstTouch, lastTouch, (long)(end - first),
            };
        })];
    }

    private static async Task<FunnelKernel> KernelAsync(IEventStore store, FunnelOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);

        // Property conditions are evaluated by the store, once per step (or stage rule), into one bit per event.
        var extra = new List<BitArray?>();
        foreach (var step in options.Steps.Append(options.Exclude))
        {
            if (step?.Stage is { } stage)
            {
                var where = new Dictionary<StageRule, BitArray>(ReferenceEqualityComparer.Instance);
                foreach (var rule in stage.Rules.Where(r => r.Where is not null))
                {
                    var sql = string.Join(" AND ", rule.Where!.Select(c => c.Sql(store.Dialect)));
                    where[rule] = await store.MatchEventsAsync(columns, sql, cancellationToken).ConfigureAwait(false);
                }

                extra.Add(StageColumns.Match(columns, stage, rule => where[rule]));
                continue;
            }

            var condition = step?.PropertySql(store.Dialect);
            extra.Add(condition is null ? null : await store.MatchEventsAsync(columns, condition, cancellationToken).ConfigureAwait(false));
        }

        return new FunnelKernel(columns, options, extra.Any(e => e is not null) ? extra : null);
    }
}
