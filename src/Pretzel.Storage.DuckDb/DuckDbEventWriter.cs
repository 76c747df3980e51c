using DuckDB.NET.Data;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Stages batches in a <see cref="StagingFile"/> and moves them into <c>events</c> with one
/// <c>INSERT … SELECT FROM read_csv(…)</c> and an anti-join on <c>message_id</c>. The move runs every
/// <see cref="MoveThreshold"/> staged rows rather than per batch: each move probes every stored
/// message id, so moving per 100k-row batch would make a 10M-row import quadratic. Duplicates inside
/// one staged chunk are dropped here (first one wins); across chunks the anti-join catches them.
/// </summary>
internal sealed class DuckDbEventWriter : IEventWriter
{
    internal const int MoveThreshold = 4_000_000;

    private readonly DuckDBConnection _connection;
    private readonly string _stagingDirectory;
    private readonly EnumColumns _enums;
    private readonly HashSet<string> _chunkIds = new(StringComparer.Ordinal);
    private StagingFile? _file;
    private long _chunkDuplicates;
    private AppendResult _result;
    private bool _disposed;

    internal DuckDbEventWriter(DuckDBConnection connection, string stagingDirectory)
    {
        _connection = connection;
        _stagingDirectory = stagingDirectory;
        _enums = new EnumColumns(connection);
    }

    public void Write(IReadOnlyList<Event> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _file ??= new StagingFile(_stagingDirectory, _enums);
        foreach (var e in events)
        {
            if (_chunkIds.Add(e.MessageId))
            {
                _file.Write(e);
            }
            else
            {
                _chunkDuplicates++;
            }
        }

        if (_file.Rows >= MoveThreshold)
        {
            Move();
        }
    }

    public Task<AppendResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        Move();
        return Task.FromResult(_result);
    }

    private void Move()
    {
        var file = _file;
        _file = null;
        if (file is null)
        {
            return;
        }

        using (file)
        {
            file.Flush();
            long written = 0;
            if (file.Rows > 0)
            {
                using var tx = _connection.BeginTransaction();
                try
                {
                    _enums.Extend();
                    using var cmd = _connection.CreateCommand();
                    cmd.CommandText = $"""
                        INSERT INTO events
                        SELECT s.* FROM ({file.ReadSql()}) s
                        WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = s.message_id)
                        """;
                    written = Convert.ToInt64(cmd.ExecuteNonQuery());
                    tx.Commit();
                }
                catch
                {
                    tx.Rollback();
                    _enums.Discard();
                    throw;
                }
            }

            _result += new AppendResult(written, file.Rows - written + _chunkDuplicates);
        }

        _chunkIds.Clear();
        _chunkDuplicates = 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file?.Dispose();
    }
}
