using System.Globalization;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// The scale-out store: events in ClickHouse, over its HTTP interface (TSV in request bodies; the
/// ClickHouse.Driver package cannot talk to the 18.16 servers Debian ships).
/// <para>
/// On one server (no <c>?cluster=</c>), <c>events</c> is a ReplacingMergeTree table. On a cluster, every
/// node gets the same schema: <c>events_local</c> (ReplacingMergeTree) and a Distributed <c>events</c>
/// over it, sharded by <c>cityHash64(ifNull(anonymous_id, ifNull(user_id, '')))</c> so one device's events
/// live on one shard, sorted by device and time. ClickHouse 18.16 runs <c>ON CLUSTER</c> DDL only with
/// ZooKeeper, so the store sends its DDL to each node's HTTP endpoint itself: the nodes come from
/// <c>system.clusters</c> (host and native TCP port), and a node's HTTP port is taken to be the URL's HTTP
/// port shifted as far as that node's TCP port is from the URL server's (the same port everywhere in a
/// usual deployment; 18123/18124 beside 19000/19001 in the local test cluster). Each derived endpoint is
/// checked (it must report itself as that node); where the rule does not hold, list the endpoints with
/// <c>&amp;nodes=host:port,…</c>.
/// </para>
/// <para>
/// Deduplication (<see cref="ClickHouseEventWriter"/>): each chunk goes into a temporary table of an HTTP
/// session and moves to <c>events</c> with an anti-join on <c>message_id</c> against the whole cluster
/// (<c>GLOBAL IN</c>), with <c>insert_distributed_sync=1</c> so counts are exact as soon as an append
/// returns. The identity map is copied whole to every node, so each shard resolves its own events to
/// persons (<c>person_events_local</c> behind a Distributed <c>person_events</c>).
/// </para>
/// </summary>
public sealed partial class ClickHouseEventStore : IEventStore, IPushDownStore
{
    private const string ResultFormat = "TabSeparatedWithNamesAndTypes";

    private readonly ClickHouseHttp _http;
    private readonly ClickHouseMigrations.Layout _layout;
    private readonly TimeZoneInfo _serverZone;

    private ClickHouseEventStore(
        ClickHouseStoreOptions options,
        ClickHouseHttp http,
        ClickHouseNode main,
        IReadOnlyList<ClickHouseNode> nodes,
        string serverVersion,
        TimeZoneInfo serverZone)
    {
        Options = options;
        _http = http;
        Main = main;
        Nodes = nodes;
        ServerVersion = serverVersion;
        _serverZone = serverZone;
        _layout = new ClickHouseMigrations.Layout(options.Database, options.Cluster);
    }

    /// <summary>Where the store lives.</summary>
    public ClickHouseStoreOptions Options { get; }

    /// <summary>The version of the server named in the URL, e.g. <c>18.16.1</c>.</summary>
    public string ServerVersion { get; }

    /// <inheritdoc />
    public ISqlDialect Dialect => ClickHouseDialect.Instance;

    /// <inheritdoc />
    public string Description => Options.ToString();

    /// <inheritdoc />
    public bool PushesDown => Options.PushDown;

    /// <summary>The server named in the URL: queries and writes go there.</summary>
    internal ClickHouseNode Main { get; }

    /// <summary>Every node holding the schema: the cluster's (shards and replicas), or just <see cref="Main"/>.</summary>
    internal IReadOnlyList<ClickHouseNode> Nodes { get; }

    internal ClickHouseHttp Http => _http;

    /// <summary>Rows per chunk a writer moves at once (smaller in tests, to cover several chunks quickly).</summary>
    internal int WriterChunkRows { get; set; } = ClickHouseEventWriter.ChunkRows;

    /// <summary>Opens the store at a <c>clickhouse://HOST:PORT/DATABASE[?cluster=NAME]</c> URL.</summary>
    public static ClickHouseEventStore Open(string url) => Open(ClickHouseStoreOptions.Parse(url));

    /// <summary>Opens the store, creating the database and applying missing schema migrations on every node.</summary>
    public static ClickHouseEventStore Open(ClickHouseStoreOptions options) =>
        OpenAsync(options).GetAwaiter().GetResult();

    /// <inheritdoc cref="Open(ClickHouseStoreOptions)"/>
    public static async Task<ClickHouseEventStore> OpenAsync(ClickHouseStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ClickHouseSql.IsPlainName(options.Database))
        {
            throw new StoreException($"ClickHouse database name '{options.Database}': use letters, digits and '_', not starting with a digit");
        }

        if (options.Cluster is not null && !ClickHouseSql.IsClusterName(options.Cluster))
        {
            throw new StoreException($"ClickHouse cluster name '{options.Cluster}': use letters, digits, '_', '-' and '.'");
        }

        var http = new ClickHouseHttp(options);
        try
        {
            var main = new ClickHouseNode(options.Host, options.Port, 0, 0);
            if (await http.PingAsync(main, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                throw new StoreException(
                    $"no ClickHouse HTTP interface at {main} ({problem}): check the host and port in the store URL (ClickHouse's HTTP port is usually 8123; 9000 is its native port)");
            }

            var about = await SelectOnAsync(http, main, null, "SELECT version(), timezone()", TimeZoneInfo.Utc, cancellationToken).ConfigureAwait(false);
            var version = (string)about.Rows[0][0]!;
            var zone = ClickHouseResultReader.FindZone((string)about.Rows[0][1]!);
            var nodes = options.Cluster is null
                ? [main]
                : await DiscoverNodesAsync(http, main, options, cancellationToken).ConfigureAwait(false);

            var store = new ClickHouseEventStore(options, http, main, nodes, version, zone);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    private static async Task<IReadOnlyList<ClickHouseNode>> DiscoverNodesAsync(
        ClickHouseHttp http, ClickHouseNode main, ClickHouseStoreOptions options, CancellationToken cancellationToken)
    {
        var cluster = options.Cluster!;
        var rows = (await SelectOnAsync(http, main, null, $"""
            SELECT shard_num, replica_num, host_name, port, is_local
            FROM system.clusters WHERE cluster = {ClickHouseSql.Literal(cluster)}
            ORDER BY shard_num, replica_num
            """, TimeZoneInfo.Utc, cancellationToken).ConfigureAwait(false)).Rows;
        if (rows.Count == 0)
        {
            var known = (await SelectOnAsync(http, main, null, "SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster", TimeZoneInfo.Utc, cancellationToken).ConfigureAwait(false))
                .Rows.Select(r => (string)r[0]!).ToList();
            throw new StoreException(
                $"ClickHouse at {main} has no cluster '{cluster}' in its remote_servers (it has: {(known.Count == 0 ? "none" : string.Join(", ", known))}); fix ?cluster= in the store URL");
        }

        if (options.Nodes is { Count: > 0 } given)
        {
            if (given.Count != rows.Count)
            {
                throw new StoreException($"nodes= in the store URL lists {given.Count} endpoint(s), but cluster '{cluster}' has {rows.Count} node(s): list the HTTP endpoint of each, in shard order");
            }

            return given.Select((g, i) =>
            {
                var (host, port) = ClickHouseStoreOptions.ParseHostPort(g, options.ToString(), "node");
                return new ClickHouseNode(host, port, Convert.ToInt32(rows[i][0], CultureInfo.InvariantCulture), Convert.ToInt32(rows[i][1], CultureInfo.InvariantCulture));
            }).ToList();
        }

        var local = rows.FirstOrDefault(r => Convert.ToInt64(r[4], CultureInfo.InvariantCulture) == 1)
            ?? throw new StoreException(
                $"ClickHouse at {main} is not itself a node of cluster '{cluster}', so the nodes' HTTP ports cannot be derived: add &nodes=host:port,… (each node's HTTP endpoint) to the store URL");
        var localTcp = Convert.ToInt32(local[3], CultureInfo.InvariantCulture);
        var nodes = new List<ClickHouseNode>();
        foreach (var row in rows)
        {
            var shard = Convert.ToInt32(row[0], CultureInfo.InvariantCulture);
            var replica = Convert.ToInt32(row[1], CultureInfo.InvariantCulture);
            var tcp = Convert.ToInt32(row[3], CultureInfo.InvariantCulture);
            if (ReferenceEquals(row, local))
            {
                nodes.Add(main with { Shard = shard, Replica = replica });
                continue;
            }

            var node = new ClickHouseNode((string)row[2]!, options.Port + (tcp - localTcp), shard, replica);
            string? problem;
            try
            {
                var self = await SelectOnAsync(http, node, null, $"SELECT port FROM system.clusters WHERE cluster = {ClickHouseSql.Literal(cluster)} AND is_local = 1", TimeZoneInfo.Utc, cancellationToken).ConfigureAwait(false);
                problem = self.Rows.Count == 1 && Convert.ToInt32(self.Rows[0][0], CultureInfo.InvariantCulture) == tcp
                    ? null
                    : $"the server there is not that node (it reports native port {string.Join(", ", self.Rows.Select(r => r[0]))})";
            }
            catch (StoreException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                throw new StoreException(
                    $"cluster '{cluster}' shard {shard} replica {replica} is {row[2]} with native port {tcp}; its HTTP port was taken to be {node.Port} "
                    + $"(the URL's {options.Port} shifted like the native ports), but {problem}. Add &nodes=host:port,… (each node's HTTP endpoint, in shard order) to the store URL");
            }

            nodes.Add(node);
        }

        return nodes;
    }

    /// <summary>The schema version recorded on the URL's server.</summary>
    public int SchemaVersion() => SchemaVersionAsync(Main, CancellationToken.None).GetAwaiter().GetResult();

    private async Task<int> SchemaVersionAsync(ClickHouseNode node, CancellationToken cancellationToken)
    {
        var result = await SelectAsync(node, "SELECT max(version) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(result.Rows[0][0], CultureInfo.InvariantCulture);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        foreach (var node in Nodes)
        {
            await _http.SendAsync(node, $"CREATE DATABASE IF NOT EXISTS {ClickHouseSql.Identifier(Options.Database)}", null, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(node, ClickHouseMigrations.SchemaMigrationsTable, cancellationToken).ConfigureAwait(false);
            var current = await SchemaVersionAsync(node, cancellationToken).ConfigureAwait(false);
            if (current > ClickHouseMigrations.Latest)
            {
                throw new StoreException(
                    $"store '{Description}' has schema version {current} on {node}, newer than this Pretzel understands ({ClickHouseMigrations.Latest}); upgrade Pretzel");
            }

            await CheckLayoutAsync(node, cancellationToken).ConfigureAwait(false);
            foreach (var migration in ClickHouseMigrations.All.Where(m => m.Version > current))
            {
                foreach (var statement in migration.Statements(_layout))
                {
                    await ExecuteAsync(node, statement, cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(
                    node,
                    $"INSERT INTO schema_migrations VALUES ({migration.Version}, {ClickHouseSql.Literal(migration.Name)}, now())",
                    cancellationToken,
                    retry: false).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Refuses a database made for the other layout (sharded vs one server).</summary>
    private async Task CheckLayoutAsync(ClickHouseNode node, CancellationToken cancellationToken)
    {
        var engine = await SelectAsync(
            node,
            $"SELECT engine FROM system.tables WHERE database = {ClickHouseSql.Literal(Options.Database)} AND name = 'events'",
            cancellationToken).ConfigureAwait(false);
        if (engine.Rows.Count == 0)
        {
            return;
        }

        var distributed = (string)engine.Rows[0][0]! == "Distributed";
        if (distributed != _layout.Sharded)
        {
            throw new StoreException(distributed
                ? $"database '{Options.Database}' on {node} was created for a cluster: add ?cluster=NAME to the store URL"
                : $"database '{Options.Database}' on {node} was created on one server, without a cluster: drop ?cluster= from the store URL, or use a new database");
        }
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
    public IEventWriter OpenWriter() => new ClickHouseEventWriter(this);

    /// <inheritdoc />
    public async Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default)
    {
        // The DuckDB store's query: an event carrying both ids links them; an alias links its previous id
        // (a user id when it appears as one somewhere, else an anonymous id) to its user id.
        // materialize(): 18.16 cannot merge a constant column from one shard with a computed one from another.
        var result = await SelectAsync(Main, """
            SELECT DISTINCT materialize('anonymous') AS k1, assumeNotNull(anonymous_id) AS i1, materialize('user') AS k2, assumeNotNull(user_id) AS i2
            FROM events WHERE isNotNull(anonymous_id) AND isNotNull(user_id)
            UNION ALL
            SELECT DISTINCT
                if(assumeNotNull(previous_id) GLOBAL IN (SELECT assumeNotNull(user_id) FROM events WHERE isNotNull(user_id)), 'user', 'anonymous') AS k1,
                assumeNotNull(previous_id) AS i1, materialize('user') AS k2, assumeNotNull(user_id) AS i2
            FROM events WHERE type = 'alias' AND isNotNull(previous_id) AND isNotNull(user_id)
            """, cancellationToken).ConfigureAwait(false);
        var links = new HashSet<IdentityLink>();
        foreach (var row in result.Rows)
        {
            links.Add(new IdentityLink(
                new Identity(Identity.ParseKind((string)row[0]!), (string)row[1]!),
                new Identity(Identity.ParseKind((string)row[2]!), (string)row[3]!)));
        }

        return links.ToList();
    }

    /// <inheritdoc />
    public async Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var rows = new TsvBuffer();
        foreach (var a in assignments)
        {
            rows.String(a.Identity.KindName);
            rows.String(a.Identity.Id);
            rows.String(a.PersonId);
            rows.EndRow();
        }

        // Every node gets the whole map: built aside, then swapped in with one RENAME, so queries see the
        // old map or the new one. A node whose swap failed keeps its old map until the next rebuild.
        foreach (var node in Nodes)
        {
            await ExecuteAsync(node, "DROP TABLE IF EXISTS identities_new", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(node, "DROP TABLE IF EXISTS identities_old", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(node, "CREATE TABLE identities_new AS identities", cancellationToken).ConfigureAwait(false);
            if (rows.Rows > 0)
            {
                await _http.InsertAsync(node, "INSERT INTO identities_new (kind, id, person_id) FORMAT TabSeparated", rows.Memory, DatabaseParameters(), cancellationToken, retry: false).ConfigureAwait(false);
            }

            await ExecuteAsync(node, "RENAME TABLE identities TO identities_old, identities_new TO identities", cancellationToken, retry: false).ConfigureAwait(false);
            await ExecuteAsync(node, "DROP TABLE IF EXISTS identities_old", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        QueryAsync(sql, int.MaxValue, cancellationToken);

    /// <inheritdoc />
    public async Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ClickHouseReadOnlySql.ThrowIfNotAQuery(sql);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["database"] = Options.Database,
            ["readonly"] = "1",
            ["default_format"] = ResultFormat,
            ["wait_end_of_query"] = "1",
        };
        if (maxRows < int.MaxValue)
        {
            // The server stops the query instead of sending the rows.
            parameters["max_result_rows"] = maxRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters["result_overflow_mode"] = "throw";
        }
        string body;
        try
        {
            body = await _http.SendAsync(Main, sql, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            throw new StoreException(ClickHouseReadOnlySql.Explain(ex.Message), ex);
        }

        return ClickHouseResultReader.Read(body, _serverZone);
    }

    /// <inheritdoc />
    public async Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversionEvents);
        var conversions = conversionEvents.Count == 0
            ? "toUInt64(0)"
            : $"countIf(isNotNull(event) AND assumeNotNull(event) IN ({ClickHouseSql.Literals(conversionEvents)}))";
        var totals = (await SelectAsync(Main, $"""
            SELECT count(), uniqExact(channel), {conversions}, ifNull(sum(revenue), 0), min(timestamp_us), max(timestamp_us)
            FROM events
            """, cancellationToken).ConfigureAwait(false)).Rows[0];
        var people = (await SelectAsync(Main, "SELECT uniqExact(person_id) FROM person_events", cancellationToken).ConfigureAwait(false)).Rows[0];
        var events = Convert.ToInt64(totals[0], CultureInfo.InvariantCulture);
        DateTime? first = events == 0 ? null : FromMicros(Convert.ToInt64(totals[4], CultureInfo.InvariantCulture));
        DateTime? last = events == 0 ? null : FromMicros(Convert.ToInt64(totals[5], CultureInfo.InvariantCulture));
        return new StoreSummary(
            events,
            Convert.ToInt64(people[0], CultureInfo.InvariantCulture),
            Convert.ToInt64(totals[1], CultureInfo.InvariantCulture),
            Convert.ToInt64(totals[2], CultureInfo.InvariantCulture),
            Convert.ToDouble(totals[3], CultureInfo.InvariantCulture),
            first,
            last);
    }

    /// <summary>Microseconds since the Unix epoch, as stored in <c>timestamp_us</c>.</summary>
    internal static long ToMicros(DateTime time) => Pretzel.Core.Events.EventTime.ToMicros(time);

    /// <summary>The UTC time of <see cref="ToMicros"/>'s value.</summary>
    internal static DateTime FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), DateTimeKind.Utc);

    /// <summary>Runs a statement of the store's own on <paramref name="node"/> (not guarded: never user SQL).</summary>
    internal Task ExecuteAsync(ClickHouseNode node, string sql, CancellationToken cancellationToken, bool retry = true) =>
        _http.SendAsync(node, sql, DatabaseParameters(), cancellationToken, retry);

    /// <summary>Runs a query of the store's own on <paramref name="node"/> (not guarded, not read-only: never user SQL).</summary>
    internal Task<QueryResult> SelectAsync(ClickHouseNode node, string sql, CancellationToken cancellationToken) =>
        SelectOnAsync(_http, node, Options.Database, sql, _serverZone, cancellationToken);

    private static async Task<QueryResult> SelectOnAsync(
        ClickHouseHttp http, ClickHouseNode node, string? database, string sql, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["default_format"] = ResultFormat,
            ["wait_end_of_query"] = "1",
        };
        if (database is not null)
        {
            parameters["database"] = database;
        }

        var body = await http.SendAsync(node, sql, parameters, cancellationToken).ConfigureAwait(false);
        return ClickHouseResultReader.Read(body, zone);
    }

    internal Dictionary<string, string> DatabaseParameters() => new(StringComparer.Ordinal) { ["database"] = Options.Database };

    /// <summary>Drops the store's database on every node (tests and benchmarks clean up with it).</summary>
    internal async Task DropDatabaseAsync(CancellationToken cancellationToken = default)
    {
        foreach (var node in Nodes)
        {
            await _http.SendAsync(node, $"DROP DATABASE IF EXISTS {ClickHouseSql.Identifier(Options.Database)}", null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
