using Pretzel.Core.Events;
using Pretzel.Core.Identity;

namespace Pretzel.Core.Storage;

/// <summary>
/// Where events and the identity map live. The embedded DuckDB store is the default; a scale-out
/// engine implements the same contract, and the same fixtures must give identical answers on both.
/// </summary>
public interface IEventStore : IDisposable
{
    /// <summary>A short human description, e.g. <c>duckdb:/path/pretzel.duckdb</c>.</summary>
    string Description { get; }

    /// <summary>How this store's engine spells what differs between engines.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>
    /// Appends events. An event whose <c>message_id</c> is already stored, or appears earlier in the
    /// same batch, is skipped and counted as a duplicate: re-sending never stores twice.
    /// </summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default);

    /// <summary>Opens a bulk writer; only one writer at a time.</summary>
    IEventWriter OpenWriter();

    /// <summary>Every distinct link between two ids found in the stored events.</summary>
    Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the identity map (ids that belong to a multi-id person) with <paramref name="assignments"/>.</summary>
    Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default);

    /// <summary>Runs read-only SQL; statements that would change the store are refused with <see cref="StoreException"/>.</summary>
    Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="QueryAsync(string, CancellationToken)"/>, refusing (with a <see cref="StoreException"/>)
    /// a result of more than <paramref name="maxRows"/> rows instead of holding it in memory: for SQL from
    /// people other than the operator, such as the server's query API.
    /// </summary>
    Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every event that has a person, as person-sorted columns (see <see cref="EventColumns"/>): the input
    /// of the analyses' kernels. Both stores order and encode identically, so kernels answer identically.
    /// </summary>
    Task<EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Which events of <paramref name="columns"/> (read from this store) satisfy <paramref name="condition"/>,
    /// an SQL condition over the <c>events</c> table in this store's dialect (e.g. on event properties): one
    /// bit per event, in the columns' order.
    /// </summary>
    Task<System.Collections.BitArray> MatchEventsAsync(EventColumns columns, string condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores ad costs: an entry with the same date, channel and campaign as a stored one replaces it, so
    /// importing the same costs again changes nothing. Returns how many entries were written.
    /// </summary>
    Task<int> UpsertCostsAsync(IReadOnlyList<Pretzel.Core.Costs.CostEntry> costs, CancellationToken cancellationToken = default);

    /// <summary>Every stored cost entry, by date, channel, campaign.</summary>
    Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default);

    /// <summary>Headline numbers: events, people, channels, conversions (by <paramref name="conversionEvents"/>), revenue.</summary>
    Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default);
}
