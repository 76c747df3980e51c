using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary><c>pretzel projects</c>, the usage errors of <c>pretzel serve</c>, and <c>sql --server</c> without a server.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ProjectsAndServeCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Projects_create_prints_two_keys_once_and_list_shows_the_project_without_them()
    {
        var data = _temp.File("data");
        var created = await CliRun.Run("projects", "create", "shop", "--data", data, "--format", "json");
        Assert.True(created.Exit == 0, created.ToString());
        using var doc = JsonDocument.Parse(created.Out);
        var row = doc.RootElement[0];
        var writeKey = row.GetProperty("write_key").GetString()!;
        var readKey = row.GetProperty("read_key").GetString()!;
        Assert.StartsWith("pzw_", writeKey, StringComparison.Ordinal);
        Assert.StartsWith("pzr_", readKey, StringComparison.Ordinal);
        Assert.NotEqual(writeKey[4..], readKey[4..]);

        var listed = await CliRun.Run("projects", "list", "--data", data, "--format", "csv");
        Assert.True(listed.Exit == 0, listed.ToString());
        Assert.Contains("shop,", listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(writeKey, listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(writeKey, File.ReadAllText(Path.Combine(data, "projects.json")), StringComparison.Ordinal);

        var again = await CliRun.Run("projects", "create", "shop", "--data", data);
        Assert.Equal(2, again.Exit);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Shop")]
    [InlineData("../up")]
    [InlineData("a-b")]
    public async Task Projects_create_refuses_a_bad_name_with_the_rule(string name)
    {
        var result = await CliRun.Run("projects", "create", name, "--data", _temp.File("data"));
        Assert.Equal(2, result.Exit);
        Assert.Contains(name, result.Error, StringComparison.Ordinal);
        Assert.Contains("lower-case letter", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--db", "x.duckdb", "--db does not apply")]
    [InlineData("--store", "duckdb:x.duckdb", "serve takes clickhouse://")]
    [InlineData("--port", "70000", "--port 70000")]
    [InlineData("--flush-interval", "0", "--flush-interval 0")]
    public async Task Serve_refuses_bad_options_before_listening(string option, string value, string message)
    {
        var result = await CliRun.Run("serve", "--data", _temp.File("data"), option, value);
        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_through_a_server_needs_a_key_and_says_when_the_server_is_unreachable()
    {
        var noKey = await CliRun.Run("sql", "--server", "http://127.0.0.1:9", "select 1");
        Assert.Equal(2, noKey.Exit);
        Assert.Contains("--key", noKey.Error, StringComparison.Ordinal);

        var badUrl = await CliRun.Run("sql", "--server", "ftp://x", "--key", "pzr_x", "select 1");
        Assert.Equal(2, badUrl.Exit);
        Assert.Contains("ftp://x", badUrl.Error, StringComparison.Ordinal);

        var unreachable = await CliRun.Run("sql", "--server", "http://127.0.0.1:9", "--key", "pzr_x", "select 1");
        Assert.Equal(1, unreachable.Exit);
        Assert.Contains("cannot reach the server at http://127.0.0.1:9", unreachable.Error, StringComparison.Ordinal);
    }
}
