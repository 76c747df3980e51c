using System.Net;
using System.Text;
using Pretzel.Server.Collect;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Collect;

/// <summary>Answers stay small however many messages a batch refuses.</summary>
public sealed class CollectLimitsTests : IClassFixture<PretzelServerFactory>
{
    private readonly PretzelServerFactory _server;

    public CollectLimitsTests(PretzelServerFactory server) => _server = server;

    [Fact]
    public async Task A_batch_of_many_bad_messages_counts_them_all_but_lists_the_first_hundred()
    {
        var batch = new StringBuilder("{\"batch\":[");
        batch.Append("{\"type\":\"track\",\"event\":\"Kept\",\"anonymousId\":\"limits-1\"}");
        for (var i = 0; i < 5000; i++)
        {
            batch.Append(",{}");
        }

        batch.Append("]}");
        using var client = _server.ClientWithKey(_server.Shop.WriteKey);
        var body = await (await client.PostJson("/v1/batch", batch.ToString())).Expect(HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(5000, body.GetProperty("rejected").GetInt32());
        var errors = body.GetProperty("errors");
        Assert.Equal(CollectorEndpoints.MaxListedErrors, errors.GetArrayLength());
        Assert.Equal(1, errors[0].GetProperty("index").GetInt32());
        Assert.Equal(CollectorEndpoints.MaxListedErrors, errors[CollectorEndpoints.MaxListedErrors - 1].GetProperty("index").GetInt32());
    }
}
