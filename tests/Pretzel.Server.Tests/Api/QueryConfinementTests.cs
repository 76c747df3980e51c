using System.Net;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Api;

/// <summary>
/// A read key's SQL runs in the engine with file access confined to its own project's folder: another
/// project's files and the server's other files cannot be read, whatever the statement guard lets through.
/// </summary>
public sealed class QueryConfinementTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public QueryConfinementTests(PretzelServerFactory server) => _server = server;

    [Theory]
    [InlineData("select * from read_blob('{data}/blog/events.duckdb')")]
    [InlineData("select * from read_text('{data}/projects.json')")]
    [InlineData("select * from read_text('/etc/hostname')")]
    [InlineData("select * from read_csv('/etc/passwd')")]
    [InlineData("select * from glob('{data}/*')")]
    public async Task Files_outside_the_projects_own_folder_cannot_be_read(string sql)
    {
        using var blog = _server.ClientWithKey(_server.Blog.WriteKey);
        (await blog.PostJson("/v1/track", """{"event": "Secret", "anonymousId": "blog-1"}""")).EnsureSuccessStatusCode();
        await _server.Flush();

        using var shop = _server.ReadClient(_server.Shop.ReadKey);
        var response = await shop.PostObject("/api/v1/sql", new { sql = sql.Replace("{data}", _server.DataDirectory, StringComparison.Ordinal) });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("invalid_sql", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_cannot_be_changed_to_lift_the_confinement()
    {
        using var shop = _server.ReadClient(_server.Shop.ReadKey);
        foreach (var sql in (string[])["set enable_external_access = true", "select * from duckdb_settings() where name = 'enable_external_access' and value = 'false'"])
        {
            var response = await shop.PostObject("/api/v1/sql", new { sql });
            var body = await response.Content.ReadAsStringAsync();
            if (sql.StartsWith("set", StringComparison.Ordinal))
            {
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, body);
                Assert.Contains("enable_external_access", body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_result_larger_than_the_cap_is_refused_not_held()
    {
        using var shop = _server.ReadClient(_server.Shop.ReadKey);
        var refused = await shop.PostObject("/api/v1/sql", new { sql = $"select * from range({Pretzel.Server.Api.QueryEndpoints.MaxRows + 1})" });
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("invalid_sql", body, StringComparison.Ordinal);
        Assert.Contains("LIMIT", body, StringComparison.Ordinal);

        var answered = await shop.PostObject("/api/v1/sql", new { sql = $"select * from range({Pretzel.Server.Api.QueryEndpoints.MaxRows})" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }
}
