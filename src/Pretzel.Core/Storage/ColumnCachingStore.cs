using System.Collections;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;

namespace Pretzel.Core.Storage;

/// <summary>
/// A store that keeps its <see cref="EventColumns"/> in memory between analyses, for a process that
/// answers many queries (the server): read once, reused until something is written through this store,
/// then read again on the next analysis. Writes must go through this wrapper, and reads and writes must
/// not overlap (the server runs them one at a time per project).
/// </summary>
public sealed class ColumnCachingStore(IEventStore inner) : IEventStore, IPushDownStore
{
    private EventColumns? _columns;

    /// <summary>The store underneath.</summary>
    public IEventStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Whether columns are held (for tests and metrics).</summary>
    public bool HasColumns => _columns is not null;

    public string Description => Inner.Description;

    /// <summary>Whether the inner store pushes analyses down, as long as the columns are not in memory already (the kernels are faster then).</summary>
    public bool PushesDown => _columns is null && Inner is IPushDownStore { PushesDown: true };

    public ISqlDialect Dialect => Inner.Dialect;

    /// <summary>
    /// An object that stands for the data as it is now: replaced on every write (with the held columns), so what was
    /// computed from the data can be kept under it, also by analyses that never read the columns (pushed down).
    /// </summary>
    public object DataVersion { get; private set; } = new();

    /// <summary>Drops the held columns; the next analysis reads them again.</summary>
    public void Invalidate()
    {
        _columns = null;
        DataVersion = new object();
    }

    public async Task<EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default) =>
        _columns ??= await Inner.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);

    public Task<BitArray> MatchEventsAsync(EventColumns columns, string condition, CancellationToken cancellationToken = default) =>
        Inner.MatchEventsAsync(columns, condition, cancellationToken);

    public async Task<AppendResult> AppendAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        Invalidate();
        return await Inner.AppendAsync(events, cancellationToken).ConfigureAwait(false);
    }

    public IEventWriter OpenWriter()
    {
        Invalidate();
        return new Writer(Inner.OpenWriter(), this);
    }

    public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default) =>
        Inner.ReadIdentityLinksAsync(cancellationToken);

    public async Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default)
    {
        Invalidate();
        await Inner.ReplaceIdentityMapAsync(assignments, cancellationToken).ConfigureAwait(false);
    }

    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => Inner.QueryAsync(sql, cancellationToken);

    public Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default) =>
        Inner.QueryAsync(sql, maxRows, cancellationToken);

    // Costs are not in the columns, but what was computed from the columns with the old costs (e.g. a server's
    // cached reports, keyed by the columns) must not outlive them: a new columns instance says "data changed".
    public async Task<int> UpsertCostsAsync(IReadOnlyList<Pretzel.Core.Costs.CostEntry> costs, CancellationToken cancellationToken = default)
    {
        Invalidate();
        return await Inner.UpsertCostsAsync(costs, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default) => Inner.ReadCostsAsync(cancellationToken);

    public Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default) =>
        Inner.SummarizeAsync(conversionEvents, cancellationToken);

    public void Dispose()
    {
        _columns = null;
        Inner.Dispose();
    }

    // Invalidates again when the writer commits or closes, so nothing read meanwhile outlives the write.
    private sealed class Writer(IEventWriter inner, ColumnCachingStore store) : IEventWriter
    {
        public void Write(IReadOnlyList<Event> events) => inner.Write(events);

        public async Task<AppendResult> CommitAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                store.Invalidate();
            }
        }

        public void Dispose()
        {
            inner.Dispose();
            store.Invalidate();
        }
    }
}
