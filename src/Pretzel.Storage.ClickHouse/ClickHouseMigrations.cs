namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// The schema, as an ordered list of migrations, applied on every node of the store (each node records
/// what it has applied in its own <c>schema_migrations</c>). ClickHouse has no transactional DDL: every
/// statement is idempotent (<c>IF NOT EXISTS</c>), so a migration cut short is simply applied again.
/// Never edit a migration that has shipped: add a new one.
/// <para>
/// The <c>events</c> columns are the DuckDB store's, in the same order, then two more:
/// <c>timestamp_us</c> and <c>received_at_us</c>, the exact times as microseconds since the Unix epoch
/// (Int64). ClickHouse 18.16 has no DateTime64, and its DateTime counts whole seconds from 1970 to 2105:
/// <c>timestamp</c> and <c>received_at</c> are that DateTime (UTC, clamped to the range) so that
/// <c>pretzel sql</c> reads and filters times naturally; anything exact (ordering within a second, the
/// summary's first and last event, round trips) uses the <c>_us</c> columns.
/// </para>
/// </summary>
internal static class ClickHouseMigrations
{
    /// <summary>One migration; <see cref="Statements"/> gives its DDL for a store layout.</summary>
    internal sealed record Migration(int Version, string Name, Func<Layout, IReadOnlyList<string>> Statements);

    /// <summary>Where the statements run: the database, and the cluster when sharded.</summary>
    internal sealed record Layout(string Database, string? Cluster)
    {
        internal bool Sharded => Cluster is not null;
    }

    /// <summary>The stored event columns, in table order (the DuckDB store's, then the exact times).</summary>
    internal const string EventColumns =
        "message_id, type, event, timestamp, received_at, anonymous_id, user_id, previous_id, group_id, "
        + "channel, source, medium, campaign, content, term, referrer, revenue, currency, properties, timestamp_us, received_at_us";

    /// <summary>
    /// The device key events are sharded and sorted by: the anonymous id, else the user id. One
    /// device's events live on one shard, next to each other on disk, in time order.
    /// </summary>
    internal const string DeviceKey = "ifNull(anonymous_id, ifNull(user_id, ''))";

    private const string EventsTableColumns = """
        (
            message_id     String,
            type           String,
            event          Nullable(String),
            timestamp      DateTime('UTC'),
            received_at    DateTime('UTC'),
            anonymous_id   Nullable(String),
            user_id        Nullable(String),
            previous_id    Nullable(String),
            group_id       Nullable(String),
            channel        Nullable(String),
            source         Nullable(String),
            medium         Nullable(String),
            campaign       Nullable(String),
            content        Nullable(String),
            term           Nullable(String),
            referrer       Nullable(String),
            revenue        Nullable(Float64),
            currency       Nullable(String),
            properties     Nullable(String),
            timestamp_us   Int64,
            received_at_us Int64
        )
        """;

    internal static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "events and identity map", V1),

        // Ad costs are small: one table per node, written and read on the main node only. A re-imported
        // entry replaces the stored one (the highest version wins; reads use FINAL).
        new(2, "ad costs", _ => ["CREATE TABLE IF NOT EXISTS costs (date Date, channel String, campaign String, cost Float64, currency String, version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY (date, channel, campaign)"]),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    internal static int Latest => All[^1].Version;

    internal const string SchemaMigrationsTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime('UTC')) ENGINE = TinyLog";

    private static List<string> V1(Layout layout)
    {
        // ReplacingMergeTree on the sorting key (device, time, message id) merges away rows that are
        // identical in those: a safety net under the writer's own deduplication, which is what makes a
        // re-sent message count as a duplicate.
        var storage = $"""
            {EventsTableColumns}
            ENGINE = ReplacingMergeTree
            PARTITION BY toYYYYMM(timestamp)
            ORDER BY ({DeviceKey}, timestamp_us, message_id)
            """;
        var statements = new List<string>();
        if (layout.Sharded)
        {
            var cluster = ClickHouseSql.Literal(layout.Cluster!);
            var database = ClickHouseSql.Literal(layout.Database);
            statements.Add($"CREATE TABLE IF NOT EXISTS events_local {storage}");
            statements.Add($"CREATE TABLE IF NOT EXISTS events AS events_local ENGINE = Distributed({cluster}, {database}, 'events_local', cityHash64({DeviceKey}))");
        }
        else
        {
            statements.Add($"CREATE TABLE IF NOT EXISTS events {storage}");
        }

        // The identity map: on a cluster, every node holds all of it, so each shard resolves its own
        // events to persons locally (person_events_local) and only aggregates travel.
        statements.Add("CREATE TABLE IF NOT EXISTS identities (kind String, id String, person_id String) ENGINE = MergeTree ORDER BY (kind, id)");

        var personEvents = PersonEventsSelect(layout.Sharded ? "events_local" : "events");
        if (layout.Sharded)
        {
            var cluster = ClickHouseSql.Literal(layout.Cluster!);
            var database = ClickHouseSql.Literal(layout.Database);
            statements.Add($"CREATE VIEW IF NOT EXISTS person_events_local AS {personEvents}");
            statements.Add($"CREATE TABLE IF NOT EXISTS person_events AS person_events_local ENGINE = Distributed({cluster}, {database}, 'person_events_local')");
        }
        else
        {
            statements.Add($"CREATE VIEW IF NOT EXISTS person_events AS {personEvents}");
        }

        statements.Add("""
            CREATE VIEW IF NOT EXISTS persons AS
            SELECT person_id,
                   min(timestamp) AS first_seen,
                   max(timestamp) AS last_seen,
                   count() AS events,
                   arraySort(groupUniqArray(user_id)) AS user_ids,
                   arraySort(groupUniqArray(anonymous_id)) AS anonymous_ids,
                   min(timestamp_us) AS first_seen_us,
                   max(timestamp_us) AS last_seen_us
            FROM person_events
            GROUP BY person_id
            """);
        return statements;
    }

    /// <summary>
    /// Events with their person: the identity map's person for the user id, else for the anonymous id,
    /// else the user id, else <c>anon:</c> + the anonymous id (or the previous id) — the DuckDB view's
    /// rule. ClickHouse 18.16 allows one JOIN per SELECT, hence the nesting; an unmatched ANY LEFT JOIN
    /// gives '' (or NULL with join_use_nulls), which nullIf turns into "no person".
    /// </summary>
    private static string PersonEventsSelect(string eventsTable) => $"""
        SELECT coalesce(nullIf(_pu, ''), nullIf(_pa, ''), user_id, concat('anon:', anonymous_id), concat('anon:', previous_id)) AS person_id,
               {EventColumns}
        FROM
        (
            SELECT {EventColumns}, _ak, _pu
            FROM
            (
                SELECT {EventColumns}, ifNull(user_id, '') AS _uk, ifNull(anonymous_id, '') AS _ak
                FROM {eventsTable}
            )
            ANY LEFT JOIN (SELECT id AS _uk, person_id AS _pu FROM identities WHERE kind = 'user') USING (_uk)
        )
        ANY LEFT JOIN (SELECT id AS _ak, person_id AS _pa FROM identities WHERE kind = 'anonymous') USING (_ak)
        """;
}
