using System.Net;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Api;

/// <summary><c>/api/v1/paths</c> and <c>/api/v1/graph</c>: the CLI's rows over the key's project, current after new events.</summary>
public sealed class PathsApiTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public PathsApiTests(PretzelServerFactory server) => _server = server;

    [Fact]
    public async Task Paths_and_the_graph_come_back_as_rows_and_follow_new_events()
    {
        using var shop = _server.ClientWithKey(_server.Shop.WriteKey);
        (await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "track", "event": "pa_home", "anonymousId": "pa-1", "timestamp": "2026-01-01T10:00:00Z"},
              {"type": "track", "event": "pa_pricing", "anonymousId": "pa-1", "timestamp": "2026-01-01T10:05:00Z"},
              {"type": "track", "event": "pa_buy", "anonymousId": "pa-1", "timestamp": "2026-01-01T10:10:00Z", "properties": {"revenue": 40}},
              {"type": "track", "event": "pa_home", "anonymousId": "pa-2", "timestamp": "2026-01-01T10:00:00Z"}
            ]}
            """)).EnsureSuccessStatusCode();
        await _server.Flush();

        using var read = _server.ReadClient(_server.Shop.ReadKey);
        const string Options = "touch=event&conversion=pa_buy&to=2026-02-01";
        var paths = (await (await read.GetAsync($"/api/v1/paths?{Options}&sort=conversions")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        var bought = paths.Single(r => r.GetProperty("conversions").GetInt64() > 0);
        Assert.EndsWith("pa_home > pa_pricing", bought.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(40.0, bought.GetProperty("value").GetDouble());

        var routes = (await (await read.GetAsync($"/api/v1/graph?{Options}&view=bright_paths&top=3")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Contains(routes, r => r.GetProperty("route").GetString()!.EndsWith("pa_pricing", StringComparison.Ordinal));

        var flow = (await (await read.GetAsync($"/api/v1/paths?{Options}&after=pa_home&depth=1")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(2, flow.Where(r => r.GetProperty("from").GetString() == "pa_home").Sum(r => r.GetProperty("people").GetInt64()));

        // A new person who also buys: the kept columns are read again.
        (await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "track", "event": "pa_home", "anonymousId": "pa-3", "timestamp": "2026-01-02T10:00:00Z"},
              {"type": "track", "event": "pa_pricing", "anonymousId": "pa-3", "timestamp": "2026-01-02T10:05:00Z"},
              {"type": "track", "event": "pa_buy", "anonymousId": "pa-3", "timestamp": "2026-01-02T10:10:00Z"}
            ]}
            """)).EnsureSuccessStatusCode();
        await _server.Flush();
        var again = (await (await read.GetAsync($"/api/v1/paths?{Options}&sort=conversions")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(2, again.Single(r => r.GetProperty("path").GetString()!.EndsWith("pa_home > pa_pricing", StringComparison.Ordinal)).GetProperty("conversions").GetInt64());

        var shape = (await (await read.GetAsync("/api/v1/journeys?model=four_step")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal("all", shape[^1].GetProperty("group").GetString());
        await (await read.GetAsync("/api/v1/journeys?gap=soon")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/journeys?model=/etc/passwd")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        var credit = (await (await read.GetAsync($"/api/v1/attribution?{Options}&models=last_touch,markov")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(2.0, credit.Where(r => r.GetProperty("model").GetString() == "markov").Sum(r => r.GetProperty("conversions").GetDouble()), 6);
        Assert.Equal(1.0, credit.Single(r => r.GetProperty("model").GetString() == "last_touch" && r.GetProperty("channel").GetString() == "pa_pricing").GetProperty("share").GetDouble(), 6);
        var roi = await read.GetAsync("/api/v1/roi?by=campaign&to=2026-02-01");
        await roi.Expect(HttpStatusCode.OK);
        Assert.Contains("romi", roi.Headers.GetValues("Pretzel-Columns").Single(), StringComparison.Ordinal);
        await (await read.GetAsync("/api/v1/roi?by=weather")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/attribution?models=phrenology")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/graph?order=9")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/paths?touch=pages")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
    }
}
