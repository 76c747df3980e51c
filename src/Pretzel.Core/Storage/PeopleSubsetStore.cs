using System.Collections;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;

namespace Pretzel.Core.Storage;

/// <summary>
/// A read-only view of a store that shows some of its people (e.g. one customer segment), optionally only their events
/// from a start time on (the data as if it began then): the event columns hold only those events, and conditions the
/// store evaluates are evaluated on the whole store and narrowed to them. Ad costs are narrowed to the same start (and
/// to one channel when the view is a channel's). SQL reads (<see cref="QueryAsync(string, CancellationToken)"/>,
/// summaries) still see the whole store — readers of SQL rows narrow them with <see cref="Includes"/>; writes are
/// refused. Any analysis over the event columns runs on it unchanged.
/// </summary>
public sealed class PeopleSubsetStore : IEventStore
{
    private readonly IEventStore _inner;
    private readonly EventColumns _all;
    private readonly EventColumns _subset;
    private readonly int[] _eventIndex;
    private readonly long _sinceMicros;
    private readonly DateTime? _since;
    private readonly string? _costChannel;
    private HashSet<string>? _people;

    /// <summary>The people of <paramref name="all"/> (the inner store's columns) at <paramref name="people"/> (ascending indexes).</summary>
    public PeopleSubsetStore(IEventStore inner, EventColumns all, IReadOnlyList<int> people)
        : this(inner, all, people, since: null, costChannel: null)
    {
    }

    /// <summary>
    /// As above, with only the events at or after <paramref name="since"/> (UTC; null: all) and, when
    /// <paramref name="costChannel"/> is given, only that channel's ad costs.
    /// </summary>
    public PeopleSubsetStore(IEventStore inner, EventColumns all, IReadOnlyList<int> people, DateTime? since, string? costChannel)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _all = all ?? throw new ArgumentNullException(nameof(all));
        _since = since;
        _sinceMicros = since is { } start ? EventTime.ToMicros(start) : long.MinValue;
        _costChannel = costChannel;
        _subset = all.Subset(people, _sinceMicros, out _eventIndex);
    }

    /// <summary>
    /// Whether an event of <paramref name="personId"/> at <paramref name="micros"/> (read with SQL from the whole
    /// store) is one this view shows.
    /// </summary>
    public bool Includes(string personId, long micros)
    {
        if (micros < _sinceMicros)
        {
            return false;
        }

        _people ??= [.. _subset.PersonIds];
        return _people.Contains(personId);
    }

    public string Description => _inner.Description;

    public ISqlDialect Dialect => _inner.Dialect;

    public Task<EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default) => Task.FromResult(_subset);

    public async Task<BitArray> MatchEventsAsync(EventColumns columns, string condition, CancellationToken cancellationToken = default)
    {
        if (!ReferenceEquals(columns, _subset))
        {
            throw new ArgumentException("conditions are evaluated over this view's own event columns", nameof(columns));
        }

        var all = await _inner.MatchEventsAsync(_all, condition, cancellationToken).ConfigureAwait(false);
        var bits = new BitArray(_eventIndex.Length);
        for (var i = 0; i < _eventIndex.Length; i++)
        {
            bits[i] = all[_eventIndex[i]];
        }

        return bits;
    }

    public Task<AppendResult> AppendAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default) => throw ReadOnly();

    public IEventWriter OpenWriter() => throw ReadOnly();

    public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default) => _inner.ReadIdentityLinksAsync(cancellationToken);

    public Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => _inner.QueryAsync(sql, cancellationToken);

    public Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default) => _inner.QueryAsync(sql, maxRows, cancellationToken);

    public Task<int> UpsertCostsAsync(IReadOnlyList<Pretzel.Core.Costs.CostEntry> costs, CancellationToken cancellationToken = default) => throw ReadOnly();

    public async Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default)
    {
        var costs = await _inner.ReadCostsAsync(cancellationToken).ConfigureAwait(false);
        if (_since is null && _costChannel is null)
        {
            return costs;
        }

        var since = _since is { } start ? DateOnly.FromDateTime(start) : DateOnly.MinValue;
        return [.. costs.Where(c => c.Date >= since && (_costChannel is null || c.Channel == _costChannel))];
    }

    public Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default) =>
        _inner.SummarizeAsync(conversionEvents, cancellationToken);

    /// <summary>The inner store is the caller's to dispose.</summary>
    public void Dispose()
    {
    }

    private static InvalidOperationException ReadOnly() => new("a view of some people of a store is read-only");
}
