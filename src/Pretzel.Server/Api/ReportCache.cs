using System.Runtime.CompilerServices;
using Pretzel.Core.Storage;

namespace Pretzel.Server.Api;

/// <summary>
/// The rows of recent report requests, so that a dashboard view opened again (another tab, back and forth between
/// views, a reload) answers at once instead of computing again. An answer is kept with the event columns it was
/// computed from: the project's <see cref="ColumnCachingStore"/> reads new columns after any write (events, identity
/// map, costs), and with them every kept answer is gone. Answers also expire after <see cref="Lifetime"/>, since a
/// report without an end date counts open windows and recency up to "now". At most <see cref="MaxEntries"/>
/// answers per project's columns are kept. A store that pushes analyses down (ClickHouse, while no columns are held)
/// is not made to read its columns just for the key: its answers are kept under its <see cref="ColumnCachingStore.DataVersion"/>,
/// which every write replaces as well.
/// </summary>
internal static class ReportCache
{
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    internal const int MaxEntries = 256;

    private static readonly ConditionalWeakTable<object, Dictionary<string, (QueryResult Rows, DateTimeOffset At)>> Answers = new();

    /// <summary>The answer kept for <paramref name="key"/> over <paramref name="store"/>'s current columns, else <paramref name="compute"/>'s (then kept).</summary>
    internal static async Task<QueryResult> GetOrComputeAsync(IEventStore store, string key, TimeProvider time, Func<IEventStore, Task<QueryResult>> compute, CancellationToken cancellationToken)
    {
        object version = store is ColumnCachingStore { PushesDown: true } caching
            ? caching.DataVersion
            : await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var answers = Answers.GetOrCreateValue(version);
        var now = time.GetUtcNow();
        lock (answers)
        {
            if (answers.TryGetValue(key, out var kept) && now - kept.At < Lifetime)
            {
                return kept.Rows;
            }
        }

        var rows = await compute(store).ConfigureAwait(false);
        lock (answers)
        {
            if (answers.Count >= MaxEntries)
            {
                answers.Clear();
            }

            answers[key] = (rows, now);
        }

        return rows;
    }
}
