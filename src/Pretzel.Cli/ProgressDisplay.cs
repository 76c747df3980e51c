using Spectre.Console;

namespace Pretzel.Cli;

/// <summary>
/// A progress bar on stderr while long work runs, shown only when stderr is a terminal so that
/// piped output and CI logs stay clean.
/// </summary>
internal static class ProgressDisplay
{
    internal static bool Enabled => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    /// <param name="label">What is being done.</param>
    /// <param name="total">Units of work in all, or null when unknown (a spinner-like bar).</param>
    /// <param name="work">The work; it reports units done.</param>
    internal static async Task<T> RunAsync<T>(string label, double? total, Func<IProgress<double>, Task<T>> work)
    {
        if (!Enabled)
        {
            return await work(new Progress<double>(_ => { })).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: total ?? 100);
                task.IsIndeterminate = total is null;
                var reporter = new Reporter(task);
                result = await work(reporter).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result;
    }

    private sealed class Reporter(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Min(value, task.MaxValue);
    }
}
