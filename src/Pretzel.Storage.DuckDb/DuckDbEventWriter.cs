using System.IO.Hashing;
using DuckDB.NET.Data;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Stages chunks column by column in memory (<see cref="EventChunk"/>) and moves each into <c>events</c>
/// through DuckDB's appender (<see cref="NativeChunkAppender"/>) in its own transaction, after finding
/// which of its message ids are stored already (<see cref="ChunkRows"/> rows; see
/// docs/adr/0001-import-write-path.md for the measurements). Chunks rather than batches: each move probes
/// the stored message ids, so moving per 100k-row batch would make a large import quadratic.
/// </summary>
internal sealed class DuckDbEventWriter : ChunkedEventWriter<DuckDbEventWriter.Chunk>
{
    internal const int ChunkRows = 500_000;

    /// <summary>A chunk also moves once its text reaches this many bytes (offsets into its arena are 32-bit).</summary>
    internal const int ChunkTextBytes = 256 << 20;

    /// <summary>
    /// Rows of a chunk may land in any order (nothing reads the physical order), which lets DuckDB insert
    /// on all threads.
    /// </summary>
    internal const string InsertionOrderSetting = "SET preserve_insertion_order = false";

    // The message ids of a chunk, to find those already stored (temp: this connection only, never on disk).
    private const string ChunkIdsTable = "pretzel_chunk_ids";

    private static readonly NativeChunkAppender.Source[] ChunkIdSources =
        [new(NativeChunkAppender.SourceKind.RowIndex), new(NativeChunkAppender.SourceKind.Text, EventChunk.MessageId)];

    private readonly DuckDBConnection _connection;
    private EnumColumns _enums;
    private NativeChunkAppender.Source[]? _eventSources;

    // The 128-bit hashes (of the UTF-8 text) of the message ids this writer moved, while the store holds
    // nothing else (it was empty at the first move and nobody else wrote since); null once that no longer
    // holds or the set outgrows OwnIdsLimit. Then each move probes the stored ids in SQL instead.
    private HashSet<UInt128>? _moved = [];
    private HashSet<UInt128>? _pendingIds;
    private long _countAfterMove;

    /// <summary>Ids a writer remembers before it probes the store instead (~32 bytes each).</summary>
    internal const int OwnIdsLimit = 4_000_000;

    // One spare chunk, reused once its move is done, so a long import allocates its arrays twice, not per chunk.
    private Chunk? _spare;

    internal DuckDbEventWriter(DuckDBConnection connection, bool settingsLocked = false)
    {
        _connection = connection;
        _enums = new EnumColumns(connection);

        if (!settingsLocked)
        {
            // (A confined store set it when it was opened.)
            Execute(InsertionOrderSetting);
        }
    }

    /// <summary>A staged chunk, handed back to its writer for reuse once moved.</summary>
    internal sealed class Chunk(DuckDbEventWriter owner) : IDisposable
    {
        internal EventChunk Events { get; } = new();

        public void Dispose()
        {
            Events.Clear();
            Interlocked.Exchange(ref owner._spare, this);
        }
    }

    protected override Chunk NewChunk() => Interlocked.Exchange(ref _spare, null) ?? new Chunk(this);

    protected override void Stage(Chunk chunk, Event e) => chunk.Events.Add(e);

    /// <summary>Events per chunk (<see cref="ChunkRows"/> unless a test sets fewer).</summary>
    internal int ChunkRowsLimit { get; init; } = ChunkRows;

    protected override bool IsFull(Chunk chunk, long rows) => rows >= ChunkRowsLimit || chunk.Events.TextBytes >= ChunkTextBytes;

    protected override Task<long> MoveAsync(Chunk chunk, long rows, CancellationToken cancellationToken)
    {
        var events = chunk.Events;
        ExtendEnums(events);
        _eventSources ??= EventSources();
        using var tx = _connection.BeginTransaction();
        try
        {
            var stored = StoredIds(events, cancellationToken);
            var written = NativeChunkAppender.Append(_connection, null, "events", _eventSources, events, stored, cancellationToken);
            var count = StoredCount();
            tx.Commit();
            Moved(count);
            return Task.FromResult(written);
        }
        catch
        {
            tx.Rollback();
            throw;
        }
    }

    // Which rows of the chunk carry a message id already stored (null when none does).
    private bool[]? StoredIds(EventChunk events, CancellationToken cancellationToken)
    {
        // Events are only ever appended, so an unchanged count since this writer's last move means every
        // stored event is one this writer moved: its own id set answers, no SQL probe.
        if (_moved is not null && StoredCount() == _countAfterMove)
        {
            return OwnIds(events);
        }

        _moved = null;
        Execute($"CREATE OR REPLACE TEMP TABLE {ChunkIdsTable} (i INTEGER NOT NULL, message_id VARCHAR NOT NULL)");
        try
        {
            NativeChunkAppender.Append(_connection, "temp", ChunkIdsTable, ChunkIdSources, events, null, cancellationToken);
            var stored = new bool[events.Count];
            var found = 0;
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT c.i FROM {ChunkIdsTable} c SEMI JOIN events e ON e.message_id = c.message_id";
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    stored[reader.GetInt32(0)] = true;
                    found++;
                }
            }

            return found == 0 ? null : stored;
        }
        finally
        {
            Execute($"DROP TABLE IF EXISTS temp.main.{ChunkIdsTable}");
        }
    }

    // The rows whose ids this writer has moved already; the chunk's ids join the set (committed by the caller).
    private bool[]? OwnIds(EventChunk events)
    {
        _pendingIds ??= [];
        _pendingIds.Clear();
        bool[]? stored = null;
        var slots = events.Strings[EventChunk.MessageId];
        for (var i = 0; i < events.Count; i++)
        {
            var slot = slots[i];
            var hash = XxHash128.HashToUInt128(events.Arena.AsSpan((int)(slot >> 32), (int)(slot & 0xFFFF_FFFF)));
            if (_moved!.Contains(hash))
            {
                (stored ??= new bool[events.Count])[i] = true;
            }
            else
            {
                _pendingIds.Add(hash);
            }
        }

        return stored;
    }

    // After a commit: remember the store's count (read in the move's transaction) and, while the set is
    // small enough, the ids just moved.
    private void Moved(long count)
    {
        _countAfterMove = count;
        if (_moved is null || _pendingIds is null || _moved.Count + _pendingIds.Count > OwnIdsLimit)
        {
            _moved = null;
            return;
        }

        _moved.UnionWith(_pendingIds);
        _pendingIds.Clear();
    }

    private long StoredCount()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM events";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // The source of each events column, in table order (read once per writer: migrations may add columns).
    private NativeChunkAppender.Source[] EventSources()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'events' ORDER BY column_index";
        using var reader = cmd.ExecuteReader();
        var sources = new List<NativeChunkAppender.Source>();
        while (reader.Read())
        {
            sources.Add(NativeChunkAppender.ForEventsColumn(reader.GetString(0)));
        }

        return [.. sources];
    }

    // New ENUM labels go in in a transaction of their own, between two checkpoints: DuckDB cannot replay
    // `ALTER TABLE … SET DATA TYPE` from its write-ahead log (duckdb#20543). The checkpoint before it puts
    // every row committed so far into the main file; the one after it empties the log again before any
    // row follows. So a crash anywhere in between leaves a log holding nothing but the type change, and
    // DuckDbEventStore.Open may set such a log aside without losing a row (the next write extends the
    // types again).
    private void ExtendEnums(EventChunk chunk)
    {
        var values = chunk.EnumValues;
        if (!_enums.Lacks(values))
        {
            return;
        }

        Checkpoint();
        using var tx = _connection.BeginTransaction();
        try
        {
            _enums.Extend(values);
            tx.Commit();
        }
        catch
        {
            tx.Rollback();
            _enums = _enums.Reload();
            throw;
        }

        Checkpoint();
    }

    private void Checkpoint() => Execute("CHECKPOINT");

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
