using System.Net;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Api;

/// <summary>The filters every report endpoint takes: <c>since</c>, <c>channel</c> and <c>in_segment</c>.</summary>
public sealed class ScopeApiTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public ScopeApiTests(PretzelServerFactory server) => _server = server;

    [Fact]
    public async Task Since_channel_and_segment_narrow_a_report_and_bad_values_are_named()
    {
        using var shop = _server.ClientWithKey(_server.Shop.WriteKey);
        (await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "track", "event": "sc_visit", "userId": "sc-a", "timestamp": "2026-01-05T10:00:00Z", "context": {"campaign": {"source": "news", "medium": "email", "name": "jan"}}},
              {"type": "track", "event": "purchase", "userId": "sc-a", "timestamp": "2026-03-10T10:00:00Z", "properties": {"revenue": 40}},
              {"type": "track", "event": "sc_visit", "userId": "sc-b", "timestamp": "2026-01-06T10:00:00Z"},
              {"type": "track", "event": "purchase", "userId": "sc-b", "timestamp": "2026-03-12T10:00:00Z", "properties": {"revenue": 20}},
              {"type": "track", "event": "sc_visit", "userId": "sc-c", "timestamp": "2026-03-01T10:00:00Z", "context": {"campaign": {"source": "news", "medium": "email", "name": "mar"}}}
            ]}
            """)).EnsureSuccessStatusCode();
        await _server.Flush();

        using var read = _server.ReadClient(_server.Shop.ReadKey);
        async Task<(long Entered, long Converted)> Funnel(string filter)
        {
            var rows = (await (await read.GetAsync("/api/v1/funnel?steps=sc_visit,purchase&window=90d&to=2026-04-30" + filter)).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
            return (rows[0].GetProperty("entered").GetInt64(), rows[1].GetProperty("entered").GetInt64());
        }

        Assert.Equal((3L, 2L), await Funnel(""));
        Assert.Equal((2L, 1L), await Funnel("&channel=email"));
        Assert.Equal((1L, 0L), await Funnel("&since=2026-02-01"));
        Assert.Equal((1L, 0L), await Funnel("&since=2026-02-01&channel=email"));
        Assert.Equal((0L, 0L), await Funnel("&channel=no_such_channel"));

        // One segment's funnel is that segment's rows of the funnel by segment.
        var bySegment = (await (await read.GetAsync("/api/v1/funnel?steps=sc_visit,purchase&window=90d&to=2026-04-30&by=segment:rfm")).Expect(HttpStatusCode.OK)).EnumerateArray()
            .Where(r => r.GetProperty("segment").GetString() != "(none)" && r.GetProperty("step").GetInt32() == 1).ToList();
        Assert.NotEmpty(bySegment);
        foreach (var row in bySegment)
        {
            var segment = row.GetProperty("segment").GetString()!;
            var scoped = await Funnel("&in_segment=" + Uri.EscapeDataString("rfm:" + segment));
            Assert.Equal(row.GetProperty("entered").GetInt64(), scoped.Entered);
        }

        // Any report takes the filters, e.g. paths: with channel=email only email people's journeys remain.
        var paths = (await (await read.GetAsync("/api/v1/paths?touch=event&conversion=purchase&to=2026-04-30&channel=email")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        var all = (await (await read.GetAsync("/api/v1/paths?touch=event&conversion=purchase&to=2026-04-30")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.True(paths.Sum(r => r.GetProperty("journeys").GetInt64()) < all.Sum(r => r.GetProperty("journeys").GetInt64()));

        // Paths and attribution by customer segment: the segments' rows add up to the whole.
        var pathsBySegment = (await (await read.GetAsync("/api/v1/paths?touch=event&conversion=purchase&to=2026-04-30&by=segment:rfm")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.All(pathsBySegment, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("segment").GetString())));
        Assert.Equal(all.Sum(r => r.GetProperty("journeys").GetInt64()), pathsBySegment.Sum(r => r.GetProperty("journeys").GetInt64()));
        var credit = (await (await read.GetAsync("/api/v1/attribution?conversion=purchase&to=2026-04-30&models=last_touch")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        var creditBySegment = (await (await read.GetAsync("/api/v1/attribution?conversion=purchase&to=2026-04-30&models=last_touch&by=segment:rfm")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.True(credit.Sum(r => r.GetProperty("conversions").GetDouble()) > 0);
        Assert.Equal(credit.Sum(r => r.GetProperty("conversions").GetDouble()), creditBySegment.Sum(r => r.GetProperty("conversions").GetDouble()), 6);
        await (await read.GetAsync("/api/v1/paths?by=zodiac")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");

        // Answers are kept for the next identical request (ReportCache) only while the data stays the same.
        (await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "track", "event": "sc_visit", "userId": "sc-d", "timestamp": "2026-03-02T10:00:00Z"},
              {"type": "track", "event": "purchase", "userId": "sc-d", "timestamp": "2026-03-03T10:00:00Z", "properties": {"revenue": 5}}
            ]}
            """)).EnsureSuccessStatusCode();
        await _server.Flush();
        Assert.Equal((4L, 3L), await Funnel(""));
        Assert.Equal((2L, 1L), await Funnel("&since=2026-02-01"));

        var badSince = await (await read.GetAsync("/api/v1/funnel?steps=sc_visit,purchase&since=last-tuesday")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal("since", badSince.GetProperty("errors")[0].GetProperty("field").GetString());
        var badSegment = await (await read.GetAsync("/api/v1/attribution?in_segment=rfm:Nobody")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal("in_segment", badSegment.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains("Champions", badSegment.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
