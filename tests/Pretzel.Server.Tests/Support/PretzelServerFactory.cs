using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Pretzel.Server.Projects;

namespace Pretzel.Server.Tests.Support;

/// <summary>
/// An in-process server over a temporary data folder, with projects <c>shop</c> and <c>blog</c> created
/// up front. <see cref="Flush"/> waits until every accepted event is in the stores.
/// </summary>
public sealed class PretzelServerFactory : WebApplicationFactory<Program>
{
    private readonly TempFolder _data = new();

    public PretzelServerFactory()
    {
        var registry = new ProjectRegistry(_data.Path);
        Shop = registry.Create("shop", DateTime.UtcNow);
        Blog = registry.Create("blog", DateTime.UtcNow);
    }

    public string DataDirectory => _data.Path;

    public CreatedProject Shop { get; }

    public CreatedProject Blog { get; }

    /// <summary>Extra settings (e.g. <c>Pretzel:MaxBacklogEvents</c>) applied when the server is built.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Pretzel:DataDirectory", _data.Path);
        builder.UseSetting("Pretzel:FlushInterval", "00:00:00.100");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that sends <paramref name="key"/> as the Basic-auth user name (Segment's convention).</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        return client;
    }

    /// <summary>Waits (up to 30 s) until no project has accepted events still on their way into its store.</summary>
    public async Task Flush()
    {
        var hub = (Pretzel.Server.Collect.ProjectHub)Services.GetService(typeof(Pretzel.Server.Collect.ProjectHub))!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hub.Open.Any(p => p.Backlog > 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("accepted events did not reach the store within 30 s");
            }

            await Task.Delay(20);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
