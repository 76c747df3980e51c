namespace Pretzel.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class PretzelCliTests
{
    [Fact]
    public async Task RunAsync_Help_ExitsZeroAndListsTheCommands()
    {
        var result = await CliRun.Run("--help");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("import", result.Out, StringComparison.Ordinal);
        Assert.Contains("sql", result.Out, StringComparison.Ordinal);
        Assert.Contains("demo", result.Out, StringComparison.Ordinal);
        Assert.Contains("--db", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("sql")]
    [InlineData("demo")]
    public async Task RunAsync_CommandHelp_ExitsZeroAndShowsUsage(string command)
    {
        var result = await CliRun.Run(command, "--help");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains(command, result.Out, StringComparison.Ordinal);
        Assert.Contains("Usage", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sql", "select 1", "--frobnicate")]
    [InlineData("--frobnicate")]
    public async Task RunAsync_UnknownOption_ExitsTwoNamingIt(params string[] args)
    {
        var result = await CliRun.Run(args);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains("--frobnicate", result.Error, StringComparison.Ordinal);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsTwo()
    {
        var result = await CliRun.Run("frobnicate");

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains("frobnicate", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoCommand_ExitsTwo()
    {
        var result = await CliRun.Run();

        Assert.True(result.Exit == 2, result.ToString());
    }
}
