using System.IO.Hashing;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Stages batches in a <see cref="StagingFile"/> and moves each full chunk into <c>events</c> with one
/// <c>INSERT … SELECT FROM read_csv(…)</c> and an anti-join on <c>message_id</c>, in its own
/// transaction (<see cref="ChunkRows"/> rows; measured here, DuckDB spends ~2 µs of CPU per event on
/// the insert, the import's largest cost). The move runs on a background thread while the caller fills the next chunk (at most
/// one move in flight), so reading the input and DuckDB's insert overlap on two cores. Chunks rather
/// than batches: each move probes the stored message ids, so moving per 100k-row batch would make a
/// large import quadratic. Duplicates inside one chunk are dropped here (first one wins); across
/// chunks the anti-join catches them, since chunks are moved one after another.
/// </summary>
internal sealed class DuckDbEventWriter : IEventWriter
{
    internal const int ChunkRows = 500_000;

    private readonly DuckDBConnection _connection;
    private readonly string _stagingDirectory;
    // 128-bit hashes of the chunk's message ids, not the strings: a set holding a million strings kept
    // them alive into gen-2 collections and cost more than writing the staging file (measured 0.55 µs
    // against 0.28 µs per event). A false "duplicate" needs a 128-bit collision.
    private readonly HashSet<UInt128> _chunkIds = new(ChunkRows);
    private EnumColumns _enums;
    private StagingFile? _file;
    private long _chunkDuplicates;
    private Task<AppendResult> _move = Task.FromResult(default(AppendResult));
    private AppendResult _result;
    private bool _disposed;

    internal DuckDbEventWriter(DuckDBConnection connection, string stagingDirectory)
    {
        _connection = connection;
        _stagingDirectory = stagingDirectory;
        _enums = new EnumColumns(connection);

        // Rows of a chunk may land in any order (nothing reads the physical order), which lets DuckDB
        // insert on all threads: measured ~20% less time per chunk.
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SET preserve_insertion_order = false";
        cmd.ExecuteNonQuery();
    }

    public void Write(IReadOnlyList<Event> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _file ??= new StagingFile(_stagingDirectory);
        foreach (var e in events)
        {
            if (_chunkIds.Add(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(e.MessageId.AsSpan()))))
            {
                _file.Write(e);
            }
            else
            {
                _chunkDuplicates++;
            }
        }

        if (_file.Rows >= ChunkRows)
        {
            StartMove();
        }
    }

    public async Task<AppendResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        StartMove();
        _result += await _move.ConfigureAwait(false);
        _move = Task.FromResult(default(AppendResult));
        return _result;
    }

    private void StartMove()
    {
        var file = _file;
        _file = null;
        var duplicates = _chunkDuplicates;
        _chunkIds.Clear();
        _chunkDuplicates = 0;
        if (file is null)
        {
            return;
        }

        file.Flush();

        // Wait for the previous chunk (and surface its failure) before the next one starts.
        try
        {
            _result += _move.GetAwaiter().GetResult();
        }
        catch
        {
            file.Dispose();
            throw;
        }

        _move = Task.Run(() => Move(file, duplicates));
    }

    private AppendResult Move(StagingFile file, long duplicates)
    {
        using (file)
        {
            if (file.Rows == 0)
            {
                return new AppendResult(0, duplicates);
            }

            using var tx = _connection.BeginTransaction();
            try
            {
                _enums.Extend(file.EnumValues);
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"""
                    INSERT INTO events
                    SELECT s.* FROM ({file.ReadSql()}) s
                    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = s.message_id)
                    """;
                var written = Convert.ToInt64(cmd.ExecuteNonQuery());
                tx.Commit();
                return new AppendResult(written, file.Rows - written + duplicates);
            }
            catch
            {
                tx.Rollback();
                _enums = _enums.Reload();
                throw;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file?.Dispose();
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
