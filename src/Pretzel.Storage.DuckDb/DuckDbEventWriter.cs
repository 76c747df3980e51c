using DuckDB.NET.Data;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Stages chunks in a <see cref="StagingFile"/> and moves each into <c>events</c> with one
/// <c>INSERT … SELECT FROM read_csv(…)</c> and an anti-join on <c>message_id</c>, in its own
/// transaction (<see cref="ChunkRows"/> rows; measured here, DuckDB spends ~2 µs of CPU per event on
/// the insert, the import's largest cost). Chunks rather than batches: each move probes the stored
/// message ids, so moving per 100k-row batch would make a large import quadratic.
/// </summary>
internal sealed class DuckDbEventWriter : ChunkedEventWriter<StagingFile>
{
    internal const int ChunkRows = 500_000;

    /// <summary>
    /// Rows of a chunk may land in any order (nothing reads the physical order), which lets DuckDB insert
    /// on all threads: measured ~20% less time per chunk.
    /// </summary>
    internal const string InsertionOrderSetting = "SET preserve_insertion_order = false";

    private readonly DuckDBConnection _connection;
    private readonly string _stagingDirectory;
    private EnumColumns _enums;

    internal DuckDbEventWriter(DuckDBConnection connection, string stagingDirectory, bool settingsLocked = false)
    {
        _connection = connection;
        _stagingDirectory = stagingDirectory;
        _enums = new EnumColumns(connection);

        if (!settingsLocked)
        {
            // (A confined store set it when it was opened.)
            using var cmd = connection.CreateCommand();
            cmd.CommandText = InsertionOrderSetting;
            cmd.ExecuteNonQuery();
        }
    }

    protected override StagingFile NewChunk() => new(_stagingDirectory);

    protected override void Stage(StagingFile chunk, Event e) => chunk.Write(e);

    protected override bool IsFull(StagingFile chunk, long rows) => rows >= ChunkRows;

    protected override Task<long> MoveAsync(StagingFile chunk, long rows, CancellationToken cancellationToken)
    {
        chunk.Flush();
        ExtendEnums(chunk);
        using var tx = _connection.BeginTransaction();
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"""
                INSERT INTO events
                SELECT s.* FROM ({chunk.ReadSql()}) s
                WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = s.message_id)
                """;
            var written = Convert.ToInt64(cmd.ExecuteNonQuery());
            tx.Commit();
            return Task.FromResult(written);
        }
        catch
        {
            tx.Rollback();
            throw;
        }
    }

    // New ENUM labels go in in a transaction of their own, between two checkpoints: DuckDB cannot replay
    // `ALTER TABLE … SET DATA TYPE` from its write-ahead log (duckdb#20543). The checkpoint before it puts
    // every row committed so far into the main file; the one after it empties the log again before any
    // row follows. So a crash anywhere in between leaves a log holding nothing but the type change, and
    // DuckDbEventStore.Open may set such a log aside without losing a row (the next write extends the
    // types again).
    private void ExtendEnums(StagingFile chunk)
    {
        if (!_enums.Lacks(chunk.EnumValues))
        {
            return;
        }

        Checkpoint();
        using var tx = _connection.BeginTransaction();
        try
        {
            _enums.Extend(chunk.EnumValues);
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

    private void Checkpoint()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "CHECKPOINT";
        cmd.ExecuteNonQuery();
    }
}
