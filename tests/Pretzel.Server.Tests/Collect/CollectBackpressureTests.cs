using System.Net;
using Pretzel.Server.Tests.Support;
using static Pretzel.Server.Tests.Support.ServerApi;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Past <c>Pretzel:MaxBacklogEvents</c> accepted-but-not-stored events, the collector answers 503 with Retry-After.</summary>
public sealed class CollectBackpressureTests
{
    [Fact]
    public async Task A_full_backlog_is_503_backlog_full_with_retry_after()
    {
        using var server = new PretzelServerFactory();
        server.Settings["Pretzel:MaxBacklogEvents"] = "0";
        server.Settings["Pretzel:FlushInterval"] = "01:00:00"; // the mover never runs while the test does
        using var client = server.ClientWithKey(server.Shop.WriteKey);

        var first = await (await client.PostObject("/v1/track", new { @event = "First", anonymousId = NewId("a") })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, first.GetProperty("accepted").GetInt32());

        using var refused = await client.PostObject("/v1/batch", new { batch = new[] { new { type = "track", @event = "Second", anonymousId = NewId("a") } } });
        await refused.ExpectError(HttpStatusCode.ServiceUnavailable, "backlog_full");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.True(refused.Headers.RetryAfter!.Delta > TimeSpan.Zero, "Retry-After must be a positive delay");

        // The backlog is per project: blog still takes events.
        using var blog = server.ClientWithKey(server.Blog.WriteKey);
        await (await blog.PostObject("/v1/track", new { @event = "Blog", anonymousId = NewId("b") })).Expect(HttpStatusCode.OK);

        using var health = await server.CreateClient().GetAsync("/health");
        var h = await health.Expect(HttpStatusCode.OK);
        Assert.Equal(2, h.GetProperty("backlog").GetInt64());

        var metrics = await server.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("pretzel_queue_events{project=\"shop\"} 1", metrics);
    }

    [Fact]
    public async Task Events_refused_for_backpressure_are_not_stored_and_the_backlog_drains()
    {
        using var server = new PretzelServerFactory();
        server.Settings["Pretzel:MaxBacklogEvents"] = "0";
        server.Settings["Pretzel:FlushInterval"] = "00:00:00.200";
        using var client = server.ClientWithKey(server.Shop.WriteKey);
        var anon = NewId("bp");
        await (await client.PostObject("/v1/track", new { @event = "Kept", anonymousId = anon })).Expect(HttpStatusCode.OK);
        using var refused = await client.PostObject("/v1/track", new { @event = "Refused", anonymousId = anon });
        var afterFlush = refused.StatusCode == HttpStatusCode.ServiceUnavailable;
        await server.Flush();
        // Once the backlog has drained, sending works again.
        await (await client.PostObject("/v1/track", new { @event = "Later", anonymousId = anon })).Expect(HttpStatusCode.OK);
        await server.Flush();
        var events = (await server.Sql(server.Shop.ReadKey, $"select event from events where anonymous_id = '{anon}' order by event")).Select(r => r.Str("event")).ToList();
        Assert.Equal(afterFlush ? ["Kept", "Later"] : ["Kept", "Later", "Refused"], events);
    }
}
