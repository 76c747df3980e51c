using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Cli.Tests.Commands;

/// <summary>
/// The CLI against the ClickHouse cluster of <c>PRETZEL_TEST_CLICKHOUSE</c> (started by scripts/test.sh):
/// the demo loads into the cluster and <c>pretzel sql --store</c> answers with the same numbers as the
/// embedded store loaded with the same seed.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ClickHouseStoreCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task DemoAndSql_OnClickHouse_MatchTheEmbeddedStore()
    {
        var options = ClickHouseTestServer.FreshOptions();
        var url = $"clickhouse://{options.Host}:{options.Port}/{options.Database}" + (options.Cluster is null ? "" : $"?cluster={options.Cluster}");
        var db = _temp.File("same.duckdb");
        try
        {
            var onCluster = await CliRun.Run("demo", "--store", url, "--people", "400", "--seed", "3", "--format", "csv");
            Assert.True(onCluster.Exit == 0, onCluster.ToString());
            var embedded = await CliRun.Run("demo", "--db", db, "--people", "400", "--seed", "3", "--format", "csv");
            Assert.True(embedded.Exit == 0, embedded.ToString());

            // The summaries agree except for the run time in the last column.
            static string WithoutSeconds(string csv) => string.Join('\n', csv.ReplaceLineEndings("\n").Split('\n').Select(l => l.Contains(',', StringComparison.Ordinal) ? l[..l.LastIndexOf(',')] : l));
            Assert.Equal(WithoutSeconds(embedded.Out), WithoutSeconds(onCluster.Out));

            const string Sql = "select channel, count(*) as n from person_events where channel is not null group by channel order by channel";
            var fromCluster = await CliRun.Run("sql", "--store", url, "--format", "csv", Sql);
            var fromEmbedded = await CliRun.Run("sql", "--db", db, "--format", "csv", Sql);
            Assert.True(fromCluster.Exit == 0, fromCluster.ToString());
            Assert.Equal(fromEmbedded.Out, fromCluster.Out);
            Assert.True(fromCluster.Out.Split('\n').Length > 5, "expected several channels");
        }
        finally
        {
            using var store = await ClickHouseEventStore.OpenAsync(options);
            await store.DropDatabaseAsync();
        }
    }

    [Fact]
    public async Task Sql_OnClickHouse_RefusesWrites()
    {
        var options = ClickHouseTestServer.Options();
        var url = $"clickhouse://{options.Host}:{options.Port}/{options.Database}" + (options.Cluster is null ? "" : $"?cluster={options.Cluster}");
        var result = await CliRun.Run("sql", "--store", url, "drop table events");
        Assert.Equal(1, result.Exit);
        Assert.Contains("read-only", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
