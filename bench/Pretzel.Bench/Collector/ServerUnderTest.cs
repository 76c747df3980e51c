using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace Pretzel.Bench.Collector;

/// <summary>A running <c>pretzel serve</c> for the benchmark: its address and, when it is a process of its own, its CPU time.</summary>
public abstract partial class ServerUnderTest : IAsyncDisposable
{
    public Uri BaseAddress { get; private protected set; } = new("http://127.0.0.1/");

    /// <summary>How the server runs, for the output.</summary>
    public abstract string Mode { get; }

    /// <summary>CPU time the server has used so far, or null when it shares the benchmark's process.</summary>
    public abstract TimeSpan? CpuTime { get; }

    public abstract int? ProcessId { get; }

    public abstract ValueTask DisposeAsync();

    /// <summary>Walks up from the benchmark's folder (and the working directory) to the folder holding Pretzel.slnx.</summary>
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pretzel.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>Starts <c>dotnet pretzel.dll serve --data DIR --port 0</c> and waits for its start-up line.</summary>
    public static async Task<ServerUnderTest> StartProcessAsync(string cliDll, string dataDirectory, double flushSeconds)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { cliDll, "serve", "--data", dataDirectory, "--port", "0", "--flush-interval", flushSeconds.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new ProcessServer(process);
        var url = await server.WaitForUrlAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (url is null)
        {
            var tail = server.Tail();
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("the server did not say it was listening within 60 s; its output:\n" + tail);
        }

        server.BaseAddress = url;
        return server;
    }

    /// <summary>Starts the server inside this process with <c>ServerHost.Build</c>.</summary>
    public static async Task<ServerUnderTest> StartInProcessAsync(string dataDirectory, double flushSeconds)
    {
        var app = Pretzel.Server.ServerHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Pretzel:DataDirectory", dataDirectory,
            "--Pretzel:FlushInterval", TimeSpan.FromSeconds(flushSeconds).ToString("c", CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync().ConfigureAwait(false);
        var url = app.Urls.First();
        return new InProcessServer(app) { BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/") };
    }

    private sealed partial class ProcessServer : ServerUnderTest
    {
        private readonly Process _process;
        private readonly Queue<string> _tail;
        private readonly TaskCompletionSource<Uri?> _url;

        public ProcessServer(Process process)
        {
            _process = process;
            _tail = new Queue<string>();
            _url = new TaskCompletionSource<Uri?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = Task.Run(() => Drain(process.StandardOutput));
            _ = Task.Run(() => Drain(process.StandardError));
        }

        public override string Mode => $"separate process (dotnet pretzel.dll serve, pid {_process.Id})";

        public override TimeSpan? CpuTime
        {
            get
            {
                _process.Refresh();
                return _process.HasExited ? null : _process.TotalProcessorTime;
            }
        }

        public override int? ProcessId => _process.Id;

        internal async Task<Uri?> WaitForUrlAsync(TimeSpan timeout)
        {
            var done = await Task.WhenAny(_url.Task, Task.Delay(timeout), _process.WaitForExitAsync()).ConfigureAwait(false);
            return done == _url.Task ? await _url.Task.ConfigureAwait(false) : _url.Task.IsCompletedSuccessfully ? _url.Task.Result : null;
        }

        internal string Tail()
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }

        private async Task Drain(StreamReader reader)
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_tail)
                {
                    _tail.Enqueue(line);
                    if (_tail.Count > 40)
                    {
                        _tail.Dequeue();
                    }
                }

                if (Listening().Match(line) is { Success: true } m)
                {
                    _url.TrySetResult(new Uri(m.Groups[1].Value + "/"));
                }
            }
        }

        private bool _disposed;

        public override async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_process.HasExited)
            {
                // SIGTERM: the server drains and moves its last events, as in production.
                using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync().ConfigureAwait(false);
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"listening on (http://[^\s,]+)")]
        private static partial Regex Listening();
    }

    private sealed class InProcessServer(WebApplication app) : ServerUnderTest
    {
        public override string Mode => "in-process (ServerHost.Build in the benchmark's process)";

        public override TimeSpan? CpuTime => null;

        public override int? ProcessId => null;

        private bool _disposed;

        public override async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
