using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pretzel.Core.Storage;
using Pretzel.Server.Projects;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Server.Collect;

/// <summary>
/// Every project the server serves, opened on start-up (so write-ahead logs left by a crash are moved
/// into the stores at once) or on the first request of a project created while it runs. Disposed by the
/// host after the web server has drained its requests: the logs are closed and their last events moved.
/// </summary>
internal sealed class ProjectHub : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ProjectRuntime>> _projects = new(StringComparer.Ordinal);
    private readonly ServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _disposed;

    public ProjectHub(IOptions<ServerOptions> options, ProjectRegistry registry, ServerMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options.Value;
        Registry = registry;
        _metrics = metrics;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ProjectHub>();
        _time = time;
    }

    internal ProjectRegistry Registry { get; }

    internal IEnumerable<ProjectRuntime> Open => _projects.Values.Where(p => p.IsValueCreated).Select(p => p.Value);

    /// <summary>
    /// The running project <paramref name="name"/>, opening its store on first use. Throws
    /// <see cref="ProjectUnavailableException"/> when the store cannot be opened (tried again on the next call).
    /// </summary>
    internal ProjectRuntime Get(string name)
    {
        var lazy = _projects.GetOrAdd(name, n => new Lazy<ProjectRuntime>(() => Start(n), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (Exception ex) when (ex is not ProjectUnavailableException)
        {
            _projects.TryRemove(new KeyValuePair<string, Lazy<ProjectRuntime>>(name, lazy));
            _logger.LogError(ex, "project {Project}: its store cannot be opened", name);
            throw new ProjectUnavailableException($"project '{name}' is unavailable: its store cannot be opened ({ex.Message.Split('\n')[0]})", ex);
        }
    }

    private ProjectRuntime Start(string name)
    {
        var folder = Path.Combine(Registry.DataDirectory, name);
        Directory.CreateDirectory(folder);
        var store = OpenStore(name, folder);
        _logger.LogInformation("project {Project}: events go to {Store}", name, store.Description);
        if (store is DuckDbEventStore { SetAsideLog: { } setAside })
        {
            _logger.LogWarning("project {Project}: DuckDB could not replay its own log (an ENUM type change cut by a crash); it was set aside as {Path} and the store opened without it", name, setAside);
        }

        return new ProjectRuntime(name, folder, store, _options, _metrics, _loggers.CreateLogger($"Pretzel.Project.{name}"), _time);
    }

    private IEventStore OpenStore(string name, string folder)
    {
        if (string.IsNullOrWhiteSpace(_options.Store))
        {
            return DuckDbEventStore.Open(Path.Combine(folder, "events.duckdb"), readOnly: false, threads: _options.StoreThreads, confined: true);
        }

        var options = ClickHouseStoreOptions.Parse(_options.Store);
        return ClickHouseEventStore.Open(options with { Database = options.Database + "_" + name });
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var project in Registry.List())
        {
            try
            {
                Get(project.Name);
            }
            catch (ProjectUnavailableException)
            {
                // Logged; the other projects serve on, and this one is tried again on its next request.
            }
        }

        return Task.CompletedTask;
    }

    // Stopping happens in DisposeAsync, after the web server has finished the requests in flight.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        // Registered both as a singleton and as a hosted service: the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var project in Open.ToList())
        {
            try
            {
                await project.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "project {Project}: closing failed; its write-ahead log is taken again at the next start", project.Name);
            }
        }
    }
}

/// <summary>A project whose store cannot be opened: its requests get 503 while the other projects serve on.</summary>
internal sealed class ProjectUnavailableException(string message, Exception inner) : Exception(message, inner);
