using System.Globalization;
using System.Threading.Channels;

namespace Pretzel.Server.Collect;

/// <summary>
/// The collector's promise that a 200 means stored: accepted events are appended, as JSON lines, to a
/// segment file in the project's <c>wal/</c> folder and flushed to disk (fsync) before the request is
/// answered. One writer task takes every append waiting at that moment, writes them and syncs once
/// (group commit), so the cost of the sync is shared by all concurrent requests. The store takes
/// sealed segments in the background (<see cref="ProjectRuntime"/>); a segment is deleted only after the
/// store has committed it, and segments found at start-up are taken again — the store's dedup by
/// message id makes that safe.
/// </summary>
internal sealed class WriteAheadLog : IAsyncDisposable
{
    private const string Extension = ".jsonl";
    private readonly string _directory;
    private readonly Channel<Append> _queue;
    private readonly Lock _fileLock = new();
    private readonly Task _writer;
    private readonly Action<TimeSpan>? _onSync;
    private FileStream? _current;
    private string? _currentPath;
    private long _currentEvents;
    private long _goodLength;
    private long _syncedEvents;
    private long _nextSequence;
    private readonly List<(string Path, long Events)> _sealed = [];

    internal WriteAheadLog(string directory, int maxQueuedRequests, Action<TimeSpan>? onSync = null)
    {
        _directory = directory;
        _onSync = onSync;
        Directory.CreateDirectory(directory);
        foreach (var path in Directory.GetFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            // Left by an earlier run (possibly killed mid-write): keep every complete line, drop a torn tail.
            var events = Repair(path);
            _sealed.Add((path, events));
            _nextSequence = Math.Max(_nextSequence, Sequence(path) + 1);
        }

        _queue = Channel.CreateBounded<Append>(new BoundedChannelOptions(Math.Max(1, maxQueuedRequests))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events from earlier runs waiting to be moved into the store.</summary>
    internal long RecoveredEvents => _sealed.Sum(s => s.Events);

    /// <summary>
    /// Queues <paramref name="lines"/> (complete JSON lines holding <paramref name="events"/> events). Returns false
    /// when too many requests are already waiting; otherwise <paramref name="durable"/> completes once the lines
    /// are on disk, or faults when they could not be written.
    /// </summary>
    internal bool TryAppend(byte[] lines, int events, out Task durable)
    {
        var append = new Append(lines, events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        durable = append.Done.Task;
        return _queue.Writer.TryWrite(append);
    }

    /// <summary>Whether nothing is waiting to be written and the segment being written holds nothing.</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_fileLock)
            {
                return _queue.Reader.Count == 0 && (_current is null || _currentEvents == 0);
            }
        }
    }

    /// <summary>Closes the segment being written (if it has data) and returns every sealed segment, oldest first.</summary>
    internal IReadOnlyList<(string Path, long Events)> Seal()
    {
        lock (_fileLock)
        {
            CloseCurrent();
            return [.. _sealed];
        }
    }

    /// <summary>Forgets a sealed segment the store has committed, deleting its file (or moving it to <paramref name="keepIn"/>).</summary>
    internal void Release(string path, string? keepIn = null)
    {
        lock (_fileLock)
        {
            _sealed.RemoveAll(s => s.Path == path);
        }

        if (keepIn is null)
        {
            File.Delete(path);
        }
        else
        {
            // Segment numbers start again once the log is empty: keep older refused segments apart.
            var kept = Path.Combine(keepIn, DateTime.UtcNow.ToString("yyyyMMddTHHmmssfff", System.Globalization.CultureInfo.InvariantCulture) + "-" + Path.GetFileName(path));
            File.Move(path, kept, overwrite: false);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Append>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 4096 && _queue.Reader.TryRead(out var a))
            {
                batch.Add(a);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            Exception? failure = null;
            lock (_fileLock)
            {
                try
                {
                    var file = Current();
                    foreach (var a in batch)
                    {
                        file.Write(a.Lines);
                        _currentEvents += a.Events;
                    }

                    file.Flush(flushToDisk: true);
                    _goodLength = file.Length;
                    _syncedEvents = _currentEvents;
                }
                catch (Exception ex)
                {
                    // Whatever failed, these requests are answered (503) and the writer lives on.
                    failure = ex;
                    Abandon();
                }
            }

            _onSync?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            foreach (var a in batch)
            {
                if (failure is null)
                {
                    a.Done.TrySetResult();
                }
                else
                {
                    a.Done.TrySetException(new IOException("the write-ahead log could not be written: " + failure.Message, failure));
                }
            }
        }
    }

    private FileStream Current()
    {
        if (_current is null)
        {
            _currentPath = Path.Combine(_directory, _nextSequence.ToString("D12", CultureInfo.InvariantCulture) + Extension);
            _nextSequence++;
            _current = new FileStream(_currentPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
            _currentEvents = 0;
            _syncedEvents = 0;
            _goodLength = 0;
            DirectorySync.Flush(_directory);
        }

        return _current;
    }

    private void CloseCurrent()
    {
        if (_current is null)
        {
            return;
        }

        _current.Dispose();
        if (_currentEvents > 0)
        {
            _sealed.Add((_currentPath!, _currentEvents));
        }
        else
        {
            File.Delete(_currentPath!);
        }

        _current = null;
    }

    // A write or sync failed: cut the segment back to what was synced, and start a new one next time.
    private void Abandon()
    {
        try
        {
            _current?.SetLength(_goodLength);
        }
        catch (IOException)
        {
            // The torn tail is dropped on the next start-up instead.
        }

        try
        {
            _current?.Dispose();
        }
        catch (IOException)
        {
        }

        if (_current is not null && _goodLength > 0)
        {
            // Only what was synced counts: the failed requests were answered 503 and are not in the backlog.
            _sealed.Add((_currentPath!, _syncedEvents));
        }

        _current = null;
    }

    private static long Sequence(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Truncates a segment after its last newline; returns how many lines it holds.</summary>
    internal static long Repair(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var length = stream.Length;
        var buffer = new byte[64 * 1024];
        var end = length;
        while (end > 0)
        {
            var n = (int)Math.Min(buffer.Length, end);
            stream.Position = end - n;
            stream.ReadExactly(buffer, 0, n);
            var nl = Array.LastIndexOf(buffer, (byte)'\n', n - 1);
            if (nl >= 0)
            {
                end = end - n + nl + 1;
                break;
            }

            end -= n;
        }

        if (end != length)
        {
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }

        stream.Position = 0;
        return CountLines(stream);
    }

    private static long CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return CountLines(stream);
    }

    private static long CountLines(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        lock (_fileLock)
        {
            CloseCurrent();
        }
    }

    private sealed record Append(byte[] Lines, int Events, TaskCompletionSource Done);
}
