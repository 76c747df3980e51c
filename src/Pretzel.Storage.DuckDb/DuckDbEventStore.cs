using System.Data;
using System.Text;
using DuckDB.NET.Data;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// The embedded store: one DuckDB file (or <c>:memory:</c>). Events are staged in memory and appended
/// to <c>events</c> through DuckDB's appender, skipping message ids already stored, so a re-sent event is
/// stored once (<see cref="DuckDbEventWriter"/>).
/// </summary>
public sealed class DuckDbEventStore : IEventStore
{
    private readonly DuckDBConnection _connection;
    private readonly bool _readOnly;

    private DuckDbEventStore(DuckDBConnection connection, string path, bool readOnly)
    {
        _connection = connection;
        _readOnly = readOnly;
        Path = path;
    }

    /// <summary>The file path, or <c>:memory:</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// When opening had to set aside a write-ahead log DuckDB could not replay (it held only ENUM type
    /// changes, which the next write makes again), where that log now is; otherwise null.
    /// </summary>
    public string? SetAsideLog { get; private init; }

    private bool _confined;

    /// <summary>Events per chunk a writer moves at once (tests make it small to cross chunk boundaries).</summary>
    internal int WriterChunkRows { get; set; } = DuckDbEventWriter.ChunkRows;

    /// <summary>Whether <see cref="Open(string, bool, int?, bool)"/> confined the store to its folder (settings locked).</summary>
    internal bool Confined => _confined;

    /// <inheritdoc />
    public ISqlDialect Dialect => DuckDbDialect.Instance;

    /// <inheritdoc />
    public string Description => $"duckdb:{Path}";

    /// <summary>
    /// Opens (and creates, unless <paramref name="readOnly"/>) the store at <paramref name="path"/>,
    /// applying any missing schema migrations.
    /// </summary>
    public static DuckDbEventStore Open(string path, bool readOnly = false) => Open(path, readOnly, threads: null);

    /// <summary>
    /// As <see cref="Open(string, bool)"/>, with DuckDB limited to <paramref name="threads"/> worker threads
    /// (null: one per core), e.g. to leave cores to a server's requests while the store inserts. With
    /// <paramref name="confined"/>, a read-write store serving other people's SQL (the server's query API)
    /// can read no file outside its own folder, and its settings are locked: the engine itself refuses
    /// <c>read_text('/etc/…')</c> or another project's files, whatever the statement guard lets through.
    /// </summary>
    public static DuckDbEventStore Open(string path, bool readOnly, int? threads, bool confined = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var inMemory = path == ":memory:";
        if (!inMemory)
        {
            path = System.IO.Path.GetFullPath(path);
            if (readOnly && !File.Exists(path))
            {
                throw new StoreException($"no Pretzel store at '{path}': run `pretzel demo` or `pretzel import FILE` first, or pass --db");
            }

            var dir = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
            {
                throw new StoreException($"cannot create store '{path}': folder '{dir}' does not exist");
            }
        }

        var builder = new StringBuilder("Data Source=").Append(path);
        if (threads is { } n)
        {
            builder.Append(";threads=").Append(Math.Max(1, n).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (readOnly && !inMemory)
        {
            builder.Append(";ACCESS_MODE=READ_ONLY");
        }

        var connection = new DuckDBConnection(builder.ToString());
        string? setAside = null;
        try
        {
            connection.Open();
        }
        catch (DuckDBException ex) when (!inMemory && !readOnly && ex.Message.Contains("replaying WAL", StringComparison.OrdinalIgnoreCase) && File.Exists(path + ".wal"))
        {
            // DuckDB cannot replay an ENUM type change from its log (duckdb#20543). Writes make sure such a
            // change is checkpointed before any row follows it, so a log that fails here holds nothing
            // but type changes: keep it aside, open without it, and say so.
            connection.Dispose();
            setAside = path + ".wal.unreplayable-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ", System.Globalization.CultureInfo.InvariantCulture);
            File.Move(path + ".wal", setAside);
            connection = new DuckDBConnection(builder.ToString());
            try
            {
                connection.Open();
            }
            catch (DuckDBException retry)
            {
                connection.Dispose();
                throw new StoreException(DescribeOpenFailure(path, retry), retry);
            }
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            throw new StoreException(DescribeOpenFailure(path, ex), ex);
        }

        var store = new DuckDbEventStore(connection, path, readOnly && !inMemory) { SetAsideLog = setAside };
        try
        {
            store.Migrate();
            if (store._readOnly)
            {
                // Analysts' SQL reads the store only: no files, no extensions, no settings changes.
                store.Execute("SET enable_external_access = false");
                store.Execute("SET lock_configuration = true");
            }
            else if (confined && !inMemory)
            {
                // The store's own folder (and nothing else) stays readable.
                var folder = System.IO.Path.GetDirectoryName(path)!;
                store.Execute(DuckDbEventWriter.InsertionOrderSetting);
                store.Execute($"SET allowed_directories = ['{folder.Replace("'", "''", StringComparison.Ordinal)}/']");
                store.Execute("SET enable_external_access = false");
                store.Execute("SET lock_configuration = true");
                store._confined = true;
            }
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    private static string DescribeOpenFailure(string path, DuckDBException ex) =>
        ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
            ? $"store '{path}' is in use by another process (e.g. `pretzel serve`); stop it or query through it. ({ex.Message})"
            : $"cannot open store '{path}': {ex.Message}";

    /// <summary>The schema version recorded in the store.</summary>
    public int SchemaVersion()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(cmd.ExecuteScalar());
    }

    private void Migrate()
    {
        if (!_readOnly)
        {
            Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)");
        }
        else if (!TableExists("schema_migrations"))
        {
            throw new StoreException($"'{Path}' is not a Pretzel store (no schema_migrations table)");
        }

        var current = SchemaVersion();
        if (current > DuckDbMigrations.Latest)
        {
            throw new StoreException($"store '{Path}' has schema version {current}, newer than this Pretzel understands ({DuckDbMigrations.Latest}); upgrade Pretzel");
        }

        var missing = DuckDbMigrations.All.Where(m => m.Version > current).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (_readOnly)
        {
            throw new StoreException($"store '{Path}' has schema version {current} and needs migrating to {DuckDbMigrations.Latest}; open it once read-write (e.g. `pretzel import`)");
        }

        using var tx = _connection.BeginTransaction();
        foreach (var m in missing)
        {
            Execute(m.Sql);
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_migrations VALUES ($v, $n, now()::TIMESTAMP)";
            cmd.Parameters.Add(new DuckDBParameter("v", m.Version));
            cmd.Parameters.Add(new DuckDBParameter("n", m.Name));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();

        // Schema changes go to the main file at once, never only to the write-ahead log (see DuckDbEventWriter).
        Execute("CHECKPOINT");
    }

    private bool TableExists(string name)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n AND NOT temporary";
        cmd.Parameters.Add(new DuckDBParameter("n", name));
        return Convert.ToInt64(cmd.ExecuteScalar()) > 0;
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var writer = OpenWriter();
        writer.Write(events);
        return await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IEventWriter OpenWriter()
    {
        ThrowIfReadOnly();
        return new DuckDbEventWriter(_connection, settingsLocked: _confined) { ChunkRowsLimit = WriterChunkRows };
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default)
    {
        var links = new List<IdentityLink>();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT DISTINCT 'anonymous' AS k1, anonymous_id AS i1, 'user' AS k2, user_id AS i2
            FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
            UNION
            -- An alias's previous_id may be an anonymous id or an older user id: it is a user id when it
            -- appears as one somewhere, else an anonymous id.
            SELECT DISTINCT CASE WHEN a.previous_id IN (SELECT user_id FROM events WHERE user_id IS NOT NULL) THEN 'user' ELSE 'anonymous' END,
                   a.previous_id, 'user', a.user_id
            FROM events a WHERE a.type = 'alias' AND a.previous_id IS NOT NULL AND a.user_id IS NOT NULL
            """;
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            links.Add(new IdentityLink(
                new Identity(Identity.ParseKind(reader.GetString(0)), reader.GetString(1)),
                new Identity(Identity.ParseKind(reader.GetString(2)), reader.GetString(3))));
        }

        return Task.FromResult<IReadOnlyList<IdentityLink>>(links);
    }

    /// <inheritdoc />
    public Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        ThrowIfReadOnly();
        using var tx = _connection.BeginTransaction();
        Execute("DELETE FROM identities");
        using (var appender = _connection.CreateAppender("identities"))
        {
            foreach (var a in assignments)
            {
                appender.CreateRow().AppendValue(a.Identity.KindName).AppendValue(a.Identity.Id).AppendValue(a.PersonId).EndRow();
            }
        }

        tx.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        QueryAsync(sql, int.MaxValue, cancellationToken);

    /// <inheritdoc />
    public Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ReadOnlySql.ThrowIfNotAQuery(sql);

        // A read-only file connection refuses writes in the engine itself; other connections run the
        // query in a transaction that is always rolled back.
        using var tx = _readOnly ? null : _connection.BeginTransaction();
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (rows.Count == maxRows)
                {
                    throw new StoreException($"the result has more than {maxRows:N0} rows; aggregate it or add a LIMIT");
                }

                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            tx?.Rollback();
            return Task.FromResult(new QueryResult(columns, rows));
        }
        catch (DuckDBException ex)
        {
            throw new StoreException(ReadOnlySql.Explain(ex.Message), ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>A store file keeps its columns beside it between commands (see <see cref="DuckDbColumnCache"/>); the server's confined stores keep them in memory instead.</remarks>
    public Task<EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default) =>
        Snapshot(() =>
        {
            if (Path == ":memory:" || _confined || !DuckDbColumnCache.Enabled)
            {
                return DuckDbColumnReader.Read(_connection, cancellationToken);
            }

            var fingerprint = DuckDbColumnCache.Fingerprint(_connection);
            var file = DuckDbColumnCache.PathFor(Path);
            if (DuckDbColumnCache.TryLoad(file, fingerprint) is { } cached)
            {
                return cached;
            }

            var columns = DuckDbColumnReader.Read(_connection, cancellationToken);
            DuckDbColumnCache.TrySave(file, fingerprint, columns);
            return columns;
        });

    /// <inheritdoc />
    public Task<System.Collections.BitArray> MatchEventsAsync(EventColumns columns, string condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        return Snapshot(() => DuckDbColumnReader.Match(_connection, columns, condition, cancellationToken));
    }

    // Reads in one transaction (rolled back), so the statements of one read see one state of the store.
    private Task<T> Snapshot<T>(Func<T> read)
    {
        using var tx = _readOnly ? null : _connection.BeginTransaction();
        try
        {
            var result = read();
            tx?.Rollback();
            return Task.FromResult(result);
        }
        catch (DuckDBException ex)
        {
            throw new StoreException(ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public Task<int> UpsertCostsAsync(IReadOnlyList<Pretzel.Core.Costs.CostEntry> costs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ThrowIfReadOnly();
        using var tx = _connection.BeginTransaction();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO costs VALUES ($1, $2, $3, $4, $5)";
        foreach (var entry in costs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            cmd.Parameters.Clear();
            cmd.Parameters.Add(new DuckDBParameter(entry.Date));
            cmd.Parameters.Add(new DuckDBParameter(entry.Channel));
            cmd.Parameters.Add(new DuckDBParameter(entry.Campaign));
            cmd.Parameters.Add(new DuckDBParameter(entry.Cost));
            cmd.Parameters.Add(new DuckDBParameter(entry.Currency));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
        return Task.FromResult(costs.Count);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT date, channel, campaign, cost, currency FROM costs ORDER BY date, channel, campaign";
        using var reader = cmd.ExecuteReader();
        var costs = new List<Pretzel.Core.Costs.CostEntry>();
        while (reader.Read())
        {
            costs.Add(new Pretzel.Core.Costs.CostEntry(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetString(4)));
        }

        return Task.FromResult<IReadOnlyList<Pretzel.Core.Costs.CostEntry>>(costs);
    }

    /// <inheritdoc />
    public Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversionEvents);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT count(*),
                   count(DISTINCT channel),
                   count(*) FILTER (WHERE list_contains(CAST($conv AS VARCHAR[]), CAST(event AS VARCHAR))),
                   coalesce(sum(revenue), 0),
                   min(timestamp), max(timestamp)
            FROM events
            """;
        cmd.Parameters.Add(new DuckDBParameter("conv", conversionEvents.ToList()));
        using var reader = cmd.ExecuteReader();
        reader.Read();
        var events = reader.GetInt64(0);
        var channels = reader.GetInt64(1);
        var conversions = reader.GetInt64(2);
        var revenue = reader.GetDouble(3);
        DateTime? first = reader.IsDBNull(4) ? null : DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc);
        DateTime? last = reader.IsDBNull(5) ? null : DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc);

        using var people = _connection.CreateCommand();
        people.CommandText = "SELECT count(DISTINCT person_id) FROM person_events";
        var personCount = Convert.ToInt64(people.ExecuteScalar());
        return Task.FromResult(new StoreSummary(events, personCount, channels, conversions, revenue, first, last));
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new StoreException($"store '{Path}' is open read-only");
        }
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
