using Pretzel.Core.Events;
using Pretzel.Core.Identity;
using Pretzel.Core.Storage;

namespace Pretzel.Bench.Import;

/// <summary>A store that discards what it is given: isolates the read/validate/normalise cost of import.</summary>
internal sealed class NullStore : IEventStore
{
    public string Description => "null";

    public ISqlDialect Dialect => Pretzel.Storage.DuckDb.DuckDbDialect.Instance;

    public Task<AppendResult> AppendAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AppendResult(events.Count, 0));

    public IEventWriter OpenWriter() => new Writer();

    public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IdentityLink>>([]);

    public Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Pretzel.Core.Events.EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<System.Collections.BitArray> MatchEventsAsync(Pretzel.Core.Events.EventColumns columns, string condition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> UpsertCostsAsync(IReadOnlyList<Pretzel.Core.Costs.CostEntry> costs, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Writer : IEventWriter
    {
        private long _count;

        public void Write(IReadOnlyList<Event> events) => _count += events.Count;

        public Task<AppendResult> CommitAsync(CancellationToken cancellationToken = default) => Task.FromResult(new AppendResult(_count, 0));

        public void Dispose()
        {
        }
    }
}
