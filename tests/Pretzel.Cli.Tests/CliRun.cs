namespace Pretzel.Cli.Tests;

/// <summary>Runs <c>pretzel</c> in-process with stdout and stderr captured.</summary>
internal static class CliRun
{
    public static async Task<CliResult> Run(params string[] args)
    {
        var previousOut = Console.Out;
        var previousError = Console.Error;
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await PretzelCli.RunAsync(args);
            return new CliResult(exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}

internal sealed record CliResult(int Exit, string Out, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
