using System.Collections;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;

namespace Pretzel.Core.Storage;

/// <summary>
/// A read-only view of a store that shows some of its people (e.g. one customer segment): the event columns hold only
/// their events, and conditions the store evaluates are evaluated on the whole store and narrowed to them. SQL reads
/// (<see cref="QueryAsync(string, CancellationToken)"/>, costs, summaries) still see the whole store; writes are refused.
/// Any analysis over the event columns runs on it unchanged.
/// </summary>
public sealed class PeopleSubsetStore : IEventStore
{
    private readonly IEventStore _inner;
    private readonly EventColumns _all;
    private readonly EventColumns _subset;
    private readonly int[] _eventIndex;

    /// <summary>The people of <paramref name="all"/> (the inner store's columns) at <paramref name="people"/> (ascending indexes).</summary>
    public PeopleSubsetStore(IEventStore inner, EventColumns all, IReadOnlyList<int> people)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _all = all ?? throw new ArgumentNullException(nameof(all));
        _subset = all.Subset(people, out _eventIndex);
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

    public Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default) => _inner.ReadCostsAsync(cancellationToken);

    public Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default) =>
        _inner.SummarizeAsync(conversionEvents, cancellationToken);

    /// <summary>The inner store is the caller's to dispose.</summary>
    public void Dispose()
    {
    }

    private static InvalidOperationException ReadOnly() => new("a view of some people of a store is read-only");
}
