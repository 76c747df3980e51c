using System.Net;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Api;

/// <summary><c>/api/v1/funnel</c>: the CLI's funnel rows over the key's project.</summary>
public sealed class FunnelApiTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public FunnelApiTests(PretzelServerFactory server) => _server = server;

    [Fact]
    public async Task The_funnel_of_the_keys_project_comes_back_as_rows()
    {
        using var shop = _server.ClientWithKey(_server.Shop.WriteKey);
        (await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "track", "event": "fa_view", "anonymousId": "fa-1", "timestamp": "2026-01-01T10:00:00Z"},
              {"type": "track", "event": "fa_buy", "anonymousId": "fa-1", "timestamp": "2026-01-01T11:00:00Z"},
              {"type": "track", "event": "fa_view", "anonymousId": "fa-2", "timestamp": "2026-01-01T10:00:00Z"}
            ]}
            """)).EnsureSuccessStatusCode();
        await _server.Flush();

        using var read = _server.ReadClient(_server.Shop.ReadKey);
        var response = await read.GetAsync("/api/v1/funnel?steps=fa_view,fa_buy&window=1d&to=2026-02-01");
        var rows = (await response.Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal([2L, 1L], rows.Select(r => r.GetProperty("entered").GetInt64()));
        Assert.Equal(0.5, rows[1].GetProperty("conversion_from_previous").GetDouble());
        Assert.Equal(3600.0, rows[1].GetProperty("median_seconds_to_convert").GetDouble());
        Assert.Contains("still_in_window", response.Headers.GetValues("Pretzel-Columns").Single(), StringComparison.Ordinal);

        var blog = await _server.ReadClient(_server.Blog.ReadKey).GetAsync("/api/v1/funnel?steps=fa_view,fa_buy&to=2026-02-01");
        var blogRows = (await blog.Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.All(blogRows, r => Assert.Equal(0, r.GetProperty("entered").GetInt64()));

        var bad = await read.GetAsync("/api/v1/funnel?steps=fa_view");
        await bad.ExpectError(HttpStatusCode.BadRequest, "invalid_value");
    }
}
