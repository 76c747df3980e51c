using System.IO.Hashing;
using System.Runtime.InteropServices;
using Pretzel.Core.Events;

namespace Pretzel.Core.Storage;

/// <summary>
/// The write mechanism both stores share: batches are staged into a chunk (first occurrence of a
/// message id wins inside it), and each full chunk is moved into the store on a background task while
/// the caller fills the next one, at most one move in flight, so reading input and the engine's insert
/// overlap on two cores. Chunks move one after another, so a store's move can catch ids repeated from
/// earlier chunks with an anti-join against what is stored. A store supplies the chunk and the move.
/// </summary>
/// <typeparam name="TChunk">What a chunk is staged in (a file, a buffer); disposed after its move when disposable.</typeparam>
public abstract class ChunkedEventWriter<TChunk> : IEventWriter
    where TChunk : class
{
    // 128-bit hashes of the chunk's message ids, not the strings: a set holding a million strings kept
    // them alive into gen-2 collections and cost more than writing the staged row (measured 0.55 µs
    // against 0.28 µs per event). A false "duplicate" needs a 128-bit collision.
    private readonly HashSet<UInt128> _chunkIds = [];
    private TChunk? _chunk;
    private long _chunkRows;
    private long _chunkDuplicates;
    private Task<AppendResult> _move = Task.FromResult(default(AppendResult));
    private AppendResult _result;
    private bool _disposed;

    /// <summary>A new, empty chunk.</summary>
    protected abstract TChunk NewChunk();

    /// <summary>Stages one event (its id is new to the chunk) in <paramref name="chunk"/>.</summary>
    protected abstract void Stage(TChunk chunk, Event e);

    /// <summary>Whether <paramref name="chunk"/>, holding <paramref name="rows"/> events, should move now.</summary>
    protected abstract bool IsFull(TChunk chunk, long rows);

    /// <summary>
    /// Moves a chunk of <paramref name="rows"/> (≥ 1) distinct events into the store, skipping ids already
    /// stored; returns how many were written. Runs on a background task, never two at once.
    /// </summary>
    protected abstract Task<long> MoveAsync(TChunk chunk, long rows, CancellationToken cancellationToken);

    /// <inheritdoc />
    public void Write(IReadOnlyList<Event> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var e in events)
        {
            if (!_chunkIds.Add(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(e.MessageId.AsSpan()))))
            {
                _chunkDuplicates++;
                continue;
            }

            _chunk ??= NewChunk();
            Stage(_chunk, e);
            if (IsFull(_chunk, ++_chunkRows))
            {
                StartMove(CancellationToken.None);
            }
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        StartMove(cancellationToken);
        _result += await _move.ConfigureAwait(false);
        _move = Task.FromResult(default(AppendResult));
        return _result;
    }

    private void StartMove(CancellationToken cancellationToken)
    {
        var chunk = _chunk;
        var rows = _chunkRows;
        var duplicates = _chunkDuplicates;
        _chunk = null;
        _chunkRows = 0;
        _chunkDuplicates = 0;
        _chunkIds.Clear();

        // Wait for the previous chunk (and surface its failure) before the next one starts.
        try
        {
            _result += _move.GetAwaiter().GetResult();
        }
        catch
        {
            Release(chunk);
            throw;
        }

        _move = chunk is null
            ? Task.FromResult(new AppendResult(0, duplicates))
            : Task.Run(() => MoveAndReleaseAsync(chunk, rows, duplicates, cancellationToken), CancellationToken.None);
    }

    private async Task<AppendResult> MoveAndReleaseAsync(TChunk chunk, long rows, long duplicates, CancellationToken cancellationToken)
    {
        try
        {
            var written = await MoveAsync(chunk, rows, cancellationToken).ConfigureAwait(false);
            return new AppendResult(written, rows - written + duplicates);
        }
        finally
        {
            Release(chunk);
        }
    }

    private static void Release(TChunk? chunk) => (chunk as IDisposable)?.Dispose();

    /// <summary>Discards the chunk not yet moved and waits for the move in flight.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Discards the chunk not yet moved and waits for the move in flight.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        Release(_chunk);
        _chunk = null;
        try
        {
            _move.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The failure was (or will be) reported by CommitAsync; disposing must not throw.
        }
    }
}
