namespace Pretzel.Storage.DuckDb;

/// <summary>
/// The schema, as an ordered list of migrations. A store records the versions it has applied in
/// <c>schema_migrations</c>; opening a store applies the missing ones in one transaction. Never edit a
/// migration that has shipped: add a new one.
/// </summary>
internal static class DuckDbMigrations
{
    internal sealed record Migration(int Version, string Name, string Sql);

    internal static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "events and identity map", """
            CREATE TABLE events (
                message_id   VARCHAR   NOT NULL,
                type         VARCHAR   NOT NULL,
                event        VARCHAR,
                timestamp    TIMESTAMP NOT NULL,
                received_at  TIMESTAMP NOT NULL,
                anonymous_id VARCHAR,
                user_id      VARCHAR,
                previous_id  VARCHAR,
                group_id     VARCHAR,
                channel      VARCHAR,
                source       VARCHAR,
                medium       VARCHAR,
                campaign     VARCHAR,
                content      VARCHAR,
                term         VARCHAR,
                referrer     VARCHAR,
                revenue      DOUBLE,
                currency     VARCHAR,
                properties   JSON
            );
            CREATE TABLE identities (
                kind      VARCHAR NOT NULL,
                id        VARCHAR NOT NULL,
                person_id VARCHAR NOT NULL,
                PRIMARY KEY (kind, id)
            );
            CREATE VIEW person_events AS
            SELECT coalesce(iu.person_id, ia.person_id, e.user_id, 'anon:' || e.anonymous_id, 'anon:' || e.previous_id) AS person_id,
                   e.*
            FROM events e
            LEFT JOIN identities iu ON iu.kind = 'user' AND iu.id = e.user_id
            LEFT JOIN identities ia ON ia.kind = 'anonymous' AND ia.id = e.anonymous_id;
            CREATE VIEW persons AS
            SELECT person_id,
                   min(timestamp) AS first_seen,
                   max(timestamp) AS last_seen,
                   count(*) AS events,
                   list_sort(list_distinct(list(user_id))) AS user_ids,
                   list_sort(list_distinct(list(anonymous_id))) AS anonymous_ids
            FROM person_events
            GROUP BY person_id;
            """),
    ];

    /// <summary>The newest schema version this build knows.</summary>
    internal static int Latest => All[^1].Version;
}
