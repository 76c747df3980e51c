using System.Net;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Api;

/// <summary><c>/api/v1/retention</c>, <c>/loyalty</c>, <c>/segments</c>, <c>/aarrr</c> and <c>/journey-map</c>: the CLI's rows over the key's project.</summary>
public sealed class RetentionApiTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public RetentionApiTests(PretzelServerFactory server) => _server = server;

    [Fact]
    public async Task Retention_cohorts_come_back_as_rows_and_bad_options_are_named()
    {
        using var shop = _server.ClientWithKey(_server.Shop.WriteKey);
        (await shop.PostJson("/v1/batch", """
            {"batch": [
              {"type": "track", "event": "re_buy", "userId": "re-1", "timestamp": "2026-01-05T10:00:00Z", "properties": {"revenue": 10}},
              {"type": "track", "event": "re_buy", "userId": "re-1", "timestamp": "2026-02-05T10:00:00Z", "properties": {"revenue": 30}},
              {"type": "track", "event": "re_buy", "userId": "re-2", "timestamp": "2026-01-20T10:00:00Z", "properties": {"revenue": 20}}
            ]}
            """)).EnsureSuccessStatusCode();
        await _server.Flush();

        using var read = _server.ReadClient(_server.Shop.ReadKey);
        var rows = (await (await read.GetAsync("/api/v1/retention?start_event=re_buy&return_event=re_buy&to=2026-02-28")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(("2026-01", 0, 2L, 2L), (rows[0].GetProperty("cohort").GetString(), rows[0].GetProperty("period").GetInt32(), rows[0].GetProperty("cohort_size").GetInt64(), rows[0].GetProperty("active").GetInt64()));
        Assert.Equal((1, 1L, 0.5, 30.0, 30.0), (rows[1].GetProperty("period").GetInt32(), rows[1].GetProperty("active").GetInt64(), rows[1].GetProperty("retention").GetDouble(),
            rows[1].GetProperty("revenue").GetDouble(), rows[1].GetProperty("cumulative_revenue_per_person").GetDouble()));

        var summary = (await (await read.GetAsync("/api/v1/retention?start_event=re_buy&return_event=re_buy&to=2026-02-28&summary=true")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(0.5, summary[0].GetProperty("repeat_rate").GetDouble());
        var pyramid = (await (await read.GetAsync("/api/v1/loyalty?purchase=re_buy&to=2026-02-28")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(1, pyramid.Single(r => r.GetProperty("level").GetString() == "repeat_customer").GetProperty("people").GetInt64());
        await (await read.GetAsync("/api/v1/loyalty?from=2026-03-01&to=2026-02-01")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        var segments = (await (await read.GetAsync("/api/v1/segments?purchase_event=re_buy&to=2026-02-28&people=true")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(2, segments.Count(r => r.GetProperty("person_id").GetString()!.StartsWith("re-", StringComparison.Ordinal)));
        var custom = (await (await read.GetAsync("/api/v1/segments?to=2026-02-28&segment=" + Uri.EscapeDataString("big=revenue >= 30"))).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.NotEmpty(custom);
        var funnelBySegment = (await (await read.GetAsync("/api/v1/funnel?steps=re_buy,re_buy&window=60d&to=2026-02-28&by=segment:rfm")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        var funnel = (await (await read.GetAsync("/api/v1/funnel?steps=re_buy,re_buy&window=60d&to=2026-02-28")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        for (var step = 1; step <= 2; step++)
        {
            Assert.Equal(funnel[step - 1].GetProperty("entered").GetInt64(), funnelBySegment.Where(r => r.GetProperty("step").GetInt32() == step).Sum(r => r.GetProperty("entered").GetInt64()));
        }

        Assert.Equal(1, funnel[1].GetProperty("entered").GetInt64());
        Assert.All(funnelBySegment, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("segment").GetString())));
        await (await read.GetAsync("/api/v1/funnel?steps=a,b&by=segment:zodiac")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/segments?kind=zodiac")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        var aarrr = (await (await read.GetAsync("/api/v1/aarrr?to=2026-02-28")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Contains(aarrr, r => r.GetProperty("period").GetString() == "2026-02" && r.GetProperty("revenue").GetDouble() >= 30);
        var map = (await (await read.GetAsync("/api/v1/journey-map?model=aarrr")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.NotEmpty(map);
        await (await read.GetAsync("/api/v1/journey-map?model=/etc/passwd")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        var clv = await read.GetAsync("/api/v1/clv?purchase=re_buy&unit=day&calibration_end=2026-02-28&params=true");
        Assert.True(clv.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{clv.StatusCode}: {await clv.Content.ReadAsStringAsync()}");
        await (await read.GetAsync("/api/v1/clv?unit=fortnight")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/aarrr?period=decade")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/retention?cohort=fortnight")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        await (await read.GetAsync("/api/v1/retention?time_zone=Mars/Olympus")).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
    }
}
