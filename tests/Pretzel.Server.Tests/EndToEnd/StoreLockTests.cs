using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.EndToEnd;

/// <summary>
/// While <c>pretzel serve</c> holds a project's store, <c>pretzel sql --db</c> cannot open it and says how
/// to query through the server instead; <c>pretzel sql --server URL --key READ_KEY</c> does, and only with
/// the read key.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StoreLockTests
{
    [Fact]
    public async Task A_store_held_by_the_server_is_queried_through_it_with_the_read_key()
    {
        using var data = new TempFolder();
        var (writeKey, readKey) = await ServerProcess.CreateProjectAsync(data.Path, "shop");
        var storePath = Path.Combine(data.Path, "shop", "events.duckdb");
        await using var server = await ServerProcess.StartAsync(data.Path);

        using (var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
            var batch = string.Join(',', Enumerable.Range(0, 7).Select(i => $$"""{"type":"track","event":"Lock Test","userId":"u-{{i}}","messageId":"lock-{{i}}"}"""));
            using var response = await http.PostAsync("v1/batch", new StringContent($$"""{"batch":[{{batch}}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(200, (int)response.StatusCode);
        }

        using (var query = new QueryClient(server.Url, readKey))
        {
            await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(30));
        }

        // The embedded store is locked by the server: the error names the server and the way around it.
        var (code, stdout, stderr) = await ServerProcess.RunCliAsync("sql", "--db", storePath, "select 1");
        Assert.True(code == 1, $"pretzel sql --db on a held store exited {code}, expected 1; stdout: {stdout}; stderr: {stderr}");
        Assert.Contains(server.Url, stderr, StringComparison.Ordinal);
        Assert.Contains("--server", stderr, StringComparison.Ordinal);
        Assert.Contains("--key", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // a message, not a stack trace

        // Through the server, with the read key.
        (code, stdout, stderr) = await ServerProcess.RunCliAsync("sql", "--server", server.Url, "--key", readKey, "--format", "json",
            "select count(*) as n from events where event = 'Lock Test'");
        Assert.True(code == 0, $"pretzel sql --server exited {code}: {stderr}");
        using (var doc = JsonDocument.Parse(stdout))
        {
            var row = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(7, row.GetProperty("n").GetInt64());
        }

        // The write key is not a read key: usage error, naming what is wrong.
        (code, stdout, stderr) = await ServerProcess.RunCliAsync("sql", "--server", server.Url, "--key", writeKey, "--format", "json", "select count(*) as n from events");
        Assert.True(code == 2, $"pretzel sql --server with the write key exited {code}, expected 2; stdout: {stdout}; stderr: {stderr}");
        Assert.Contains("read key", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());

        // Once the server has stopped, the file opens directly and holds the same rows.
        Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        (code, stdout, stderr) = await ServerProcess.RunCliAsync("sql", "--db", storePath, "--format", "json", "select count(*) as n from events where event = 'Lock Test'");
        Assert.True(code == 0, $"pretzel sql --db after the server stopped exited {code}: {stderr}");
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal(7, Assert.Single(doc.RootElement.EnumerateArray()).GetProperty("n").GetInt64());
        }
    }
}
