using Microsoft.Extensions.Logging;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Identity;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;

namespace Pretzel.Server.Collect;

/// <summary>
/// One project while the server runs: its store, its write-ahead log, and the mover that takes sealed
/// log segments into the store every <see cref="ServerOptions.FlushInterval"/> (through the same import
/// path as <c>pretzel import</c>: dedup by message id, channel rules, identity map). Store access is
/// serialised: the embedded store has one connection, shared by the mover and the query API.
/// </summary>
internal sealed class ProjectRuntime : IAsyncDisposable
{
    private readonly IEventStore _store;
    private readonly EventImporter _importer;
    private readonly WriteAheadLog _log;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _storeGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly string _rejectsDirectory;
    private readonly Task _mover;
    private readonly TimeProvider _time;
    private long _backlog;
    // True at start: a crash may have come between a move and the rebuild it deferred.
    private bool _identityStale = true;
    private DateTime _identityBuilt = DateTime.MinValue;

    /// <summary>
    /// Under sustained load the identity map is rebuilt at most this often (it reads every link of the
    /// store); as soon as the log is idle it is rebuilt at once.
    /// </summary>
    internal static readonly TimeSpan IdentityInterval = TimeSpan.FromSeconds(10);

    internal ProjectRuntime(string name, string folder, IEventStore store, ServerOptions options, ServerMetrics metrics, ILogger logger, TimeProvider time)
    {
        Name = name;
        Folder = folder;

        // Analyses keep the store's event columns in memory between queries; the mover's writes refresh them.
        _store = new ColumnCachingStore(store);
        _metrics = metrics;
        _logger = logger;
        _interval = options.FlushInterval;
        var settingsPath = Path.Combine(folder, "pretzel.yaml");
        var settings = File.Exists(settingsPath) ? ProjectSettings.Load(settingsPath) : ProjectSettings.Default;
        Settings = settings;
        _importer = new EventImporter(_store, settings, time) { SkipIdentityRebuild = true };
        _time = time;
        _rejectsDirectory = Path.Combine(folder, "wal-rejects");
        _log = new WriteAheadLog(Path.Combine(folder, "wal"), options.MaxQueuedRequests, elapsed => metrics.LogSync.Observe(elapsed.TotalSeconds));
        _backlog = _log.RecoveredEvents;
        metrics.Backlog.WithLabels(name).Set(_backlog);
        if (_backlog > 0)
        {
            logger.LogInformation("project {Project}: {Events} events from the write-ahead log of an earlier run will be moved into the store", name, _backlog);
        }

        _mover = Task.Run(MoveLoopAsync);
    }

    internal string Name { get; }

    /// <summary>The project's folder under the server's data folder (its store, log and saved models live there).</summary>
    internal string Folder { get; }

    /// <summary>The project file's settings (its <c>pretzel.yaml</c>, or the defaults).</summary>
    internal ProjectSettings Settings { get; }

    /// <summary>Accepted events not yet in the store.</summary>
    internal long Backlog => Interlocked.Read(ref _backlog);

    internal string StoreDescription => _store.Description;

    /// <summary>Whether the project's event columns are held in memory now (reports pushed down to the store read none).</summary>
    internal bool HoldsColumns => _store is ColumnCachingStore { HasColumns: true };

    /// <summary>Queues events for the log; see <see cref="WriteAheadLog.TryAppend"/>. They count in the backlog from now on.</summary>
    internal bool TryAppend(byte[] lines, int events, out Task durable)
    {
        // Counted before they can reach the log, so a backlog of 0 never hides events on their way.
        _metrics.Backlog.WithLabels(Name).Set(Interlocked.Add(ref _backlog, events));
        if (!_log.TryAppend(lines, events, out durable))
        {
            _metrics.Backlog.WithLabels(Name).Set(Interlocked.Add(ref _backlog, -events));
            return false;
        }

        durable = UncountIfLost(durable, events);
        return true;
    }

    private async Task UncountIfLost(Task durable, int events)
    {
        try
        {
            await durable.ConfigureAwait(false);
        }
        catch
        {
            _metrics.Backlog.WithLabels(Name).Set(Interlocked.Add(ref _backlog, -events));
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> with the store to itself.</summary>
    internal async Task<T> WithStoreAsync<T>(Func<IEventStore, Task<T>> work, CancellationToken cancellationToken)
    {
        await _storeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(_store).ConfigureAwait(false);
        }
        finally
        {
            _storeGate.Release();
        }
    }

    /// <summary>Asks the mover to run now instead of at its next tick.</summary>
    internal void Wake() => _wake.Release();

    private async Task MoveLoopAsync()
    {
        var failures = 0;
        if (Backlog > 0)
        {
            // Events an earlier run accepted go into the store first, without waiting a tick.
            failures = await SafeMoveAsync().ConfigureAwait(false) ? 0 : 1;
        }

        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(failures == 0 ? _interval : TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            failures = await SafeMoveAsync().ConfigureAwait(false) ? 0 : failures + 1;
        }
    }

    // The mover must outlive any failure: what it could not move stays in the log and is tried again.
    private async Task<bool> SafeMoveAsync()
    {
        try
        {
            return await MoveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _identityStale = true;
            _metrics.StoreFailures.WithLabels(Name).Inc();
            _logger.LogError(ex, "project {Project}: moving the write-ahead log into the store failed; retried with back-off", Name);
            return false;
        }
    }

    /// <summary>
    /// Moves every sealed segment into the store, then brings the identity map up to date when the log is
    /// idle or <see cref="IdentityInterval"/> has passed. Accepted events leave the backlog only after that,
    /// so a backlog of 0 means they are stored and stitched. False when the store refused (segments stay
    /// for the next try).
    /// </summary>
    internal async Task<bool> MoveAsync(CancellationToken cancellationToken)
    {
        long moved = 0;
        var ok = true;
        foreach (var (path, events) in _log.Seal())
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            ImportReport report;
            try
            {
                Directory.CreateDirectory(_rejectsDirectory);
                var options = new ImportOptions
                {
                    Format = ImportFormat.JsonLines,
                    RejectsPath = Path.Combine(_rejectsDirectory, Path.GetFileName(path) + ".rejects.csv"),
                };
                report = await WithStoreAsync(_ => _importer.ImportFileAsync(path, options, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Chunks written before the failure may carry links.
                _identityStale = true;
                _metrics.StoreFailures.WithLabels(Name).Inc();
                _logger.LogError(ex, "project {Project}: moving {Segment} into the store failed; it stays in the write-ahead log and is retried", Name, path);
                ok = false;
                break;
            }

            _metrics.StoreWrite.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            _metrics.Stored.WithLabels(Name).Inc(report.Written);
            _metrics.Duplicates.WithLabels(Name).Inc(report.Duplicates);
            _identityStale |= report.IdentityMapStale;
            if (report.Rejected > 0)
            {
                // Cannot happen for lines the collector validated; kept for inspection rather than lost.
                _logger.LogError("project {Project}: {Rejected} lines of {Segment} were refused by the store import; the segment is kept in {Folder}", Name, report.Rejected, path, _rejectsDirectory);
            }

            _log.Release(path, report.Rejected > 0 ? _rejectsDirectory : null);
            moved += events;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        if (_identityStale && ok && (_log.IsIdle || now - _identityBuilt >= IdentityInterval))
        {
            try
            {
                await WithStoreAsync(store => IdentityStitcher.RebuildAsync(store, cancellationToken), cancellationToken).ConfigureAwait(false);
                _identityStale = false;
                _identityBuilt = now;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "project {Project}: rebuilding the identity map failed; retried after the next move", Name);
                ok = false;
            }
        }

        _metrics.Backlog.WithLabels(Name).Set(Interlocked.Add(ref _backlog, -moved));
        return ok;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _mover.ConfigureAwait(false);
        await _log.DisposeAsync().ConfigureAwait(false);
        try
        {
            // What is left goes into the store now; whatever does not make it is taken at the next start.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await MoveAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _store.Dispose();
        _stop.Dispose();
        _storeGate.Dispose();
        _wake.Dispose();
    }
}
