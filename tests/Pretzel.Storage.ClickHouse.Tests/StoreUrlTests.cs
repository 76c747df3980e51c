using System.Net;
using System.Net.Sockets;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse.Tests;

public sealed class StoreUrlTests
{
    [Fact]
    public void Parse_TestClusterUrl_GivesEveryPart()
    {
        var options = ClickHouseStoreOptions.Parse("clickhouse://127.0.0.1:18123/pretzel_test?cluster=pretzel");

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(18123, options.Port);
        Assert.Equal("pretzel_test", options.Database);
        Assert.Equal("pretzel", options.Cluster);
        Assert.Null(options.Nodes);
        Assert.Null(options.User);
        Assert.Equal("clickhouse://127.0.0.1:18123/pretzel_test?cluster=pretzel", options.ToString());
    }

    [Fact]
    public void Parse_NoPortNoCluster_UsesHttpDefaultAndOneServer()
    {
        var options = ClickHouseStoreOptions.Parse("CLICKHOUSE://ch.example.internal/analytics");

        Assert.Equal("ch.example.internal", options.Host);
        Assert.Equal(8123, options.Port);
        Assert.Equal("analytics", options.Database);
        Assert.Null(options.Cluster);
    }

    [Fact]
    public void Parse_UserPasswordIPv6AndNodes_AreRead_PasswordNeverShown()
    {
        var options = ClickHouseStoreOptions.Parse("clickhouse://pretzel:s%40cret@[::1]:8123/db?cluster=c-1.x&nodes=h1:8123,[::1]:8124");

        Assert.Equal("pretzel", options.User);
        Assert.Equal("s@cret", options.Password);
        Assert.Equal("::1", options.Host);
        Assert.Equal(["h1:8123", "[::1]:8124"], options.Nodes!);
        Assert.Equal("c-1.x", options.Cluster);
        Assert.DoesNotContain("cret", options.ToString(), StringComparison.Ordinal);
        Assert.Equal("clickhouse://pretzel@[::1]:8123/db?cluster=c-1.x&nodes=h1:8123,[::1]:8124", options.ToString());
    }

    [Theory]
    [InlineData("clickhouse://h/db", true, "clickhouse://h:8123/db")]
    [InlineData("clickhouse://h/db?pushdown=on", true, "clickhouse://h:8123/db")]
    [InlineData("clickhouse://h/db?pushdown=off", false, "clickhouse://h:8123/db?pushdown=off")]
    [InlineData("clickhouse://h/db?cluster=c&pushdown=false", false, "clickhouse://h:8123/db?cluster=c&pushdown=off")]
    public void Parse_Pushdown_IsOnUnlessTurnedOff(string url, bool pushDown, string shown)
    {
        var options = ClickHouseStoreOptions.Parse(url);

        Assert.Equal(pushDown, options.PushDown);
        Assert.Equal(shown, options.ToString());
        Assert.Equal(options, ClickHouseStoreOptions.Parse(options.ToString()));
    }

    [Theory]
    [InlineData("clickhouse://127.0.0.1:8123/db?pushdown=maybe", "pushdown 'maybe': use pushdown=on or pushdown=off")]
    [InlineData("http://127.0.0.1:8123/db", "must start with clickhouse://")]
    [InlineData("127.0.0.1:8123/db", "must start with clickhouse://")]
    [InlineData("clickhouse://:8123/db", "names no host")]
    [InlineData("clickhouse:///db", "names no host")]
    [InlineData("clickhouse://127.0.0.1:abc/db", "port 'abc'")]
    [InlineData("clickhouse://127.0.0.1:70000/db", "port '70000'")]
    [InlineData("clickhouse://127.0.0.1:0/db", "port '0'")]
    [InlineData("clickhouse://127.0.0.1:/db", "port ''")]
    [InlineData("clickhouse://host name:8123/db", "character ' '")]
    [InlineData("clickhouse://[::1/db", "unclosed '['")]
    [InlineData("clickhouse://127.0.0.1:8123", "names no database")]
    [InlineData("clickhouse://127.0.0.1:8123/", "names no database")]
    [InlineData("clickhouse://127.0.0.1:8123/?cluster=pretzel", "names no database")]
    [InlineData("clickhouse://127.0.0.1:8123/pretzel-test", "database 'pretzel-test'")]
    [InlineData("clickhouse://127.0.0.1:8123/1db", "database '1db'")]
    [InlineData("clickhouse://127.0.0.1:8123/db/events", "more than one path segment ('db/events')")]
    [InlineData("clickhouse://127.0.0.1:8123/db?cluster=", "empty cluster name")]
    [InlineData("clickhouse://127.0.0.1:8123/db?cluster", "empty cluster name")]
    [InlineData("clickhouse://127.0.0.1:8123/db?cluster=a%20b", "cluster 'a b'")]
    [InlineData("clickhouse://127.0.0.1:8123/db?clustr=pretzel", "unknown option 'clustr'")]
    [InlineData("clickhouse://127.0.0.1:8123/db?cluster=a&cluster=b", "option 'cluster' twice")]
    [InlineData("clickhouse://127.0.0.1:8123/db?nodes=127.0.0.1:8124", "nodes= without cluster=")]
    [InlineData("clickhouse://127.0.0.1:8123/db?cluster=p&nodes=127.0.0.1:x", "port 'x' for node '127.0.0.1'")]
    [InlineData("clickhouse://@127.0.0.1:8123/db", "empty user name")]
    public void Parse_BadUrl_NamesTheBadPart(string url, string expected)
    {
        var ex = Assert.Throws<StoreException>(() => ClickHouseStoreOptions.Parse(url));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("clickhouse://127.0.0.1:8123/pretzel?cluster=NAME", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadUrlWithPassword_DoesNotRepeatThePassword()
    {
        var ex = Assert.Throws<StoreException>(() => ClickHouseStoreOptions.Parse("clickhouse://me:hunter2@127.0.0.1:x/db"));

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("port 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NothingListening_SaysWhereItLookedAndWhichPortToUse()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        var ex = Assert.Throws<StoreException>(() => ClickHouseEventStore.Open($"clickhouse://127.0.0.1:{port}/pretzel"));

        Assert.Contains($"no ClickHouse HTTP interface at 127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("8123", ex.Message, StringComparison.Ordinal);
    }
}
