namespace Pretzel.Cli.Tests;

/// <summary>Console.Out and Console.Error are global: tests that capture them run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
