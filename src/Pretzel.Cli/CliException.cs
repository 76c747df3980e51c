namespace Pretzel.Cli;

/// <summary>A failure to report to the user: the message goes to stderr, the exit code says whose fault it is.</summary>
internal sealed class CliException : Exception
{
    internal const int RuntimeError = 1;
    internal const int UsageError = 2;

    public CliException(string message, int exitCode = RuntimeError)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = RuntimeError;

    internal static CliException Usage(string message) => new(message, UsageError);
}
