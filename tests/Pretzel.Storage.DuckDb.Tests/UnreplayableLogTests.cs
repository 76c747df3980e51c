using DuckDB.NET.Data;
using Pretzel.Core.Events;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>
/// DuckDB cannot replay an ENUM column's type change from its write-ahead log (duckdb#20543): a crash
/// right after one would leave a store that does not open. Writes checkpoint type changes before any
/// row follows them, and opening sets aside a log that fails to replay.
/// </summary>
public sealed class UnreplayableLogTests : IDisposable
{
    private static readonly DateTime T0 = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pretzel-wal-" + Guid.NewGuid().ToString("N")[..8]);

    public UnreplayableLogTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Event E(string id, string name) => new() { MessageId = id, Name = name, Timestamp = T0, ReceivedAt = T0, AnonymousId = "a" };

    // Leaves what a process killed right after a type change leaves: the change only in the log. The
    // change is the one a write makes for a new event name: a new ENUM type, the column moved to it,
    // the old type dropped.
    private static void CrashAfterTypeChange(string path)
    {
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        string current;
        var labels = new List<string>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT type_name, labels FROM duckdb_types() WHERE type_name LIKE 'events_event_v%'";
            using var reader = read.ExecuteReader();
            Assert.True(reader.Read());
            current = reader.GetString(0);
            labels.AddRange(((System.Collections.IEnumerable)reader.GetValue(1)).Cast<string>());
        }

        labels.Add("zz_new_name");
        var next = "events_event_v" + (int.Parse(current["events_event_v".Length..], System.Globalization.CultureInfo.InvariantCulture) + 1);
        foreach (var sql in (string[])
        [
            "PRAGMA disable_checkpoint_on_shutdown",
            "SET checkpoint_threshold = '10GB'",
            "BEGIN",
            $"CREATE TYPE {next} AS ENUM ({string.Join(", ", labels.Select(l => "'" + l + "'"))})",
            $"ALTER TABLE events ALTER \"event\" SET DATA TYPE {next}",
            $"DROP TYPE {current}",
            "COMMIT",
        ])
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task A_log_holding_only_a_type_change_is_set_aside_and_the_store_opens_with_every_row()
    {
        var path = Path.Combine(_dir, "events.duckdb");
        using (var store = DuckDbEventStore.Open(path))
        {
            await store.AppendAsync([E("1", "signup"), E("2", "purchase")]);
        }

        CrashAfterTypeChange(path);
        Assert.True(File.Exists(path + ".wal"), "the simulated crash should leave a write-ahead log");

        using var reopened = DuckDbEventStore.Open(path);
        Assert.NotNull(reopened.SetAsideLog);
        Assert.True(File.Exists(reopened.SetAsideLog));
        Assert.False(File.Exists(path + ".wal"));
        var rows = await reopened.QueryAsync("select message_id, event from events order by 1");
        Assert.Equal(["1|signup", "2|purchase"], rows.Rows.Select(r => $"{r[0]}|{r[1]}"));

        // Writing (with new names, so the types change again) works after the recovery.
        var result = await reopened.AppendAsync([E("3", "refund"), E("4", "signup")]);
        Assert.Equal(2, result.Written);
    }

    [Fact]
    public async Task New_names_leave_no_type_change_in_the_log()
    {
        var path = Path.Combine(_dir, "events.duckdb");
        using var store = DuckDbEventStore.Open(path);
        await store.AppendAsync([E("1", "signup")]);
        await store.AppendAsync([E("2", "a_name_never_seen"), E("3", "another_new_name")]);

        // Copy the files as a SIGKILL would leave them, while the store is still open.
        var copy = Path.Combine(_dir, "copy.duckdb");
        File.Copy(path, copy);
        if (File.Exists(path + ".wal"))
        {
            File.Copy(path + ".wal", copy + ".wal");
        }

        using var crashed = DuckDbEventStore.Open(copy);
        Assert.Null(crashed.SetAsideLog);
        var rows = await crashed.QueryAsync("select count(*) from events");
        Assert.Equal(3L, Convert.ToInt64(rows.Rows[0][0]));
    }
}
