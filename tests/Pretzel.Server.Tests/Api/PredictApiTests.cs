using System.Net;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Api;

/// <summary><c>/api/v1/predict</c>: bad options are refused naming them, before any training (the browser tests score the demo's prospects).</summary>
public sealed class PredictApiTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public PredictApiTests(PretzelServerFactory server) => _server = server;

    [Theory]
    [InlineData("view=fortune", "fortune")]
    [InlineData("horizon=soon", "soon")]
    [InlineData("model=crystal_ball", "crystal_ball")]
    [InlineData("order=0", "order")]
    public async Task Bad_options_are_a_400_naming_the_value(string query, string named)
    {
        using var read = _server.ReadClient(_server.Shop.ReadKey);
        var body = await (await read.GetAsync("/api/v1/predict?" + query)).ExpectError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Contains(named, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_key_cannot_read_predictions()
    {
        using var write = _server.ReadClient(_server.Shop.WriteKey);
        var response = await write.GetAsync("/api/v1/predict");
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, response.StatusCode.ToString());
    }
}
