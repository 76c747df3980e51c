using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>The read-only guard of <see cref="DuckDbEventStore.QueryAsync"/>, on a read-write <c>:memory:</c> store and a read-only file.</summary>
public sealed class ReadOnlySqlTests : IAsyncLifetime
{
    private readonly TempStore _temp = new();

    public async Task InitializeAsync()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath);
        await store.AppendAsync(TestEvents.Many(3));
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("INSERT INTO events SELECT * FROM events", "INSERT")]
    [InlineData("insert into identities values ('user', 'u', 'p')", "INSERT")]
    [InlineData("DELETE FROM events", "DELETE")]
    [InlineData("  \n\tdelete from events", "DELETE")]
    [InlineData("-- a comment\nDELETE FROM events", "DELETE")]
    [InlineData("/* hidden */ DROP TABLE events", "DROP")]
    [InlineData("DROP TABLE events", "DROP")]
    [InlineData("COPY events TO 'out.csv'", "COPY")]
    [InlineData("ATTACH 'other.duckdb' AS other", "ATTACH")]
    [InlineData("PRAGMA enable_profiling", "PRAGMA")]
    [InlineData("UPDATE events SET event = 'x'", "UPDATE")]
    [InlineData("CREATE TABLE x (i INTEGER)", "CREATE")]
    [InlineData("ALTER TABLE events ADD COLUMN x INTEGER", "ALTER")]
    [InlineData("SET threads = 1", "SET")]
    [InlineData("INSTALL httpfs", "INSTALL")]
    [InlineData("LOAD httpfs", "LOAD")]
    [InlineData("CHECKPOINT", "CHECKPOINT")]
    [InlineData("EXPORT DATABASE 'dump'", "EXPORT")]
    [InlineData("selectx 1", "SELECTX")]
    public async Task QueryAsync_WriteStatement_RefusedWithStoreExceptionNamingIt(string sql, string statement)
    {
        foreach (var readOnly in new[] { false, true })
        {
            using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly);

            var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync(sql));

            Assert.Contains("read-only", ex.Message, StringComparison.Ordinal);
            Assert.Contains(statement + " is refused", ex.Message, StringComparison.Ordinal);
        }

        await AssertStoreUnchanged();
    }

    [Theory]
    [InlineData("SELECT count(*) FROM events")]
    [InlineData("select 1")]
    [InlineData("WITH x AS (SELECT * FROM events) SELECT count(*) FROM x")]
    [InlineData("FROM events")]
    [InlineData("-- leading comment\nSELECT 1")]
    [InlineData("/* c */ select 1")]
    [InlineData("(SELECT 1) UNION ALL (SELECT 2)")]
    [InlineData("VALUES (1), (2)")]
    [InlineData("DESCRIBE events")]
    [InlineData("SHOW TABLES")]
    [InlineData("SUMMARIZE events")]
    [InlineData("EXPLAIN SELECT * FROM events")]
    [InlineData("TABLE events")]
    [InlineData("SELECT * FROM person_events")]
    [InlineData("SELECT * FROM persons")]
    public async Task QueryAsync_Query_RunsOnReadWriteAndReadOnlyStores(string sql)
    {
        foreach (var readOnly in new[] { false, true })
        {
            using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly);

            var result = await store.QueryAsync(sql);

            Assert.NotEmpty(result.Columns);
            Assert.NotEmpty(result.Rows);
        }
    }

    [Fact]
    public async Task QueryAsync_SelectReturnsColumnsAndRows()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly: true);

        var result = await store.QueryAsync("select message_id, 42 as answer, null as nothing from events order by message_id limit 2");

        Assert.Equal(["message_id", "answer", "nothing"], result.Columns);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(["m-000000", 42, null], result.Rows[0]);
    }

    [Fact]
    public async Task QueryAsync_BadSql_ThrowsStoreExceptionWithDuckDbsFirstLine()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly: true);

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync("select no_such_column from events"));

        Assert.Contains("no_such_column", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("SELECT * FROM read_text('/etc/hostname')", "/etc/hostname")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "/etc/passwd")]
    public async Task QueryAsync_FileAccessOnReadOnlyStore_IsRefusedNamingTheFile(string sql, string file)
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly: true);

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync(sql));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    // DuckDB.NET runs the statements after the first only when the reader is advanced to them, which the
    // store never does: a trailing write must stay unexecuted.
    [Theory]
    [InlineData("SELECT 1; DELETE FROM events")]
    [InlineData("SELECT 1; DROP TABLE events")]
    [InlineData("SELECT 1; COMMIT; DROP TABLE events")]
    [InlineData("SELECT 1; ROLLBACK; DELETE FROM events")]
    [InlineData("SELECT 1; INSERT INTO identities VALUES ('user', 'u', 'p')")]
    public async Task QueryAsync_SelectFollowedByAWrite_IsRefusedAndChangesNothing(string sql)
    {
        foreach (var readOnly in new[] { true, false })
        {
            using (var store = DuckDbEventStore.Open(_temp.DbPath, readOnly))
            {
                var ex = await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync(sql));
                Assert.Contains("one statement", ex.Message, StringComparison.Ordinal);
            }

            await AssertStoreUnchanged();
        }
    }

    [Fact]
    public async Task QueryAsync_SelectFollowedByCopyToFile_WritesNoFile()
    {
        var target = Path.Combine(_temp.Folder, "leak.csv");
        foreach (var readOnly in new[] { true, false })
        {
            using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly);

            await Assert.ThrowsAsync<StoreException>(() => store.QueryAsync($"SELECT 1; COPY events TO '{target}'"));

            Assert.False(File.Exists(target), $"readOnly={readOnly}: COPY wrote {target}");
        }
    }

    // Statements that start like a query but write: the contract (IEventStore.QueryAsync) says they are
    // refused, on any store, and nothing may change, not even a file outside the store.
    [Theory]
    [InlineData("WITH x AS (SELECT 1) DELETE FROM events", false)]
    [InlineData("WITH x AS (SELECT 1) DELETE FROM events", true)]
    [InlineData("EXPLAIN ANALYZE DELETE FROM events", false)]
    [InlineData("EXPLAIN ANALYZE DELETE FROM events", true)]
    [InlineData("EXPLAIN ANALYZE INSERT INTO identities VALUES ('user', 'u', 'p')", false)]
    [InlineData("EXPLAIN ANALYZE COPY events TO '{file}'", false)]
    [InlineData("EXPLAIN ANALYZE COPY events TO '{file}'", true)]
    public async Task QueryAsync_WriteDisguisedAsAQuery_IsRefusedAndChangesNothing(string sql, bool readOnly)
    {
        var target = Path.Combine(_temp.Folder, "leak.csv");
        Exception? thrown;
        using (var store = DuckDbEventStore.Open(_temp.DbPath, readOnly))
        {
            thrown = await Record.ExceptionAsync(() => store.QueryAsync(sql.Replace("{file}", target, StringComparison.Ordinal)));
        }

        Assert.False(File.Exists(target), $"COPY wrote {target}");
        await AssertStoreUnchanged();
        Assert.IsType<StoreException>(thrown);
    }

    private async Task AssertStoreUnchanged()
    {
        using var store = DuckDbEventStore.Open(_temp.DbPath, readOnly: true);
        var count = await store.QueryAsync("select count(*) from events");
        Assert.Equal(3L, count.Rows[0][0]);
        var identities = await store.QueryAsync("select count(*) from identities");
        Assert.Equal(0L, identities.Rows[0][0]);
    }
}
