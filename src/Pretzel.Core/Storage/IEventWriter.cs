using Pretzel.Core.Events;

namespace Pretzel.Core.Storage;

/// <summary>
/// A bulk write into a store: batches are staged as they come and become visible, deduplicated by
/// <c>message_id</c>, when committed (a store may commit large writes in several steps). Disposing
/// without committing discards what was not yet committed.
/// </summary>
public interface IEventWriter : IDisposable
{
    /// <summary>Stages a batch. The caller may reuse the list once this returns: keep no reference to it.</summary>
    void Write(IReadOnlyList<Event> events);

    /// <summary>Makes everything staged durable; returns new and duplicate counts over the writer's life.</summary>
    Task<AppendResult> CommitAsync(CancellationToken cancellationToken = default);
}
