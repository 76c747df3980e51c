using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pretzel.Server.Tests.Support;

/// <summary>
/// A real <c>pretzel serve</c> process (the built CLI, same configuration as the tests) on a free
/// loopback port, for tests that need a separate process: a client in another runtime, SIGKILL, SIGTERM.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public string Url { get; private set; } = "";

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>The built <c>pretzel.dll</c> of the same configuration as this test assembly.</summary>
    public static string CliPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var configuration = dir.Parent?.Name ?? "Release"; // bin/<Configuration>/<tfm>/
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Pretzel.slnx")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("cannot find the repository root (Pretzel.slnx) above " + AppContext.BaseDirectory);
        }

        var path = Path.Combine(root.FullName, "src", "Pretzel.Cli", "bin", configuration, "net10.0", "pretzel.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first (dotnet build -c {configuration})");
    }

    /// <summary>How long <see cref="RunCliAsync"/> lets a command run before killing it.</summary>
    public static TimeSpan CliTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <summary>Runs a <c>pretzel</c> command to completion and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(CliPath());
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["CI"] = "true";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CliTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung command must fail the test, not hang the run.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"pretzel {string.Join(' ', args)} did not finish within {CliTimeout.TotalSeconds:0} s; stderr:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Creates project <paramref name="name"/> in <paramref name="dataDirectory"/> with the CLI; returns (write key, read key).</summary>
    public static async Task<(string WriteKey, string ReadKey)> CreateProjectAsync(string dataDirectory, string name)
    {
        var (code, stdout, stderr) = await RunCliAsync("projects", "create", name, "--data", dataDirectory, "--format", "json");
        if (code != 0)
        {
            throw new InvalidOperationException($"projects create failed ({code}): {stderr}");
        }

        using var doc = JsonDocument.Parse(stdout);
        var row = doc.RootElement[0];
        return (row.GetProperty("write_key").GetString()!, row.GetProperty("read_key").GetString()!);
    }

    /// <summary>Starts <c>pretzel serve --data DIR --port 0</c> and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArgs)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(CliPath());
        foreach (var a in (string[])["serve", "--data", dataDirectory, "--port", "0", .. extraArgs])
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["CI"] = "true";
        var process = Process.Start(info)!;
        var server = new ServerProcess(process, dataDirectory);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Collect(e.Data, listening);
        process.ErrorDataReceived += (_, e) => server.Collect(e.Data, listening);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != listening.Task)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new InvalidOperationException("pretzel serve did not start listening:\n" + output);
        }

        server.Url = await listening.Task;
        return server;
    }

    private void Collect(string? line, TaskCompletionSource<string> listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            listening.TrySetResult(m.Groups[1].Value);
        }
    }

    /// <summary>SIGKILL: the process dies at once, with no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for a graceful exit (up to <paramref name="timeout"/>); returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"pretzel serve (pid {_process.Id}) did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
        }

        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
