using System.CommandLine;

namespace Pretzel.Cli;

/// <summary>Options naming a server's data folder, or a running server to query instead of opening the store.</summary>
internal static class ServerOptionsCli
{
    internal const string DefaultData = "pretzel-data";

    internal static Option<string> Data { get; } = new("--data")
    {
        Description = "Server data folder: project registry, one store and write-ahead log per project (default: $PRETZEL_DATA, else pretzel-data)",
        HelpName = "DIR",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PRETZEL_DATA") is { Length: > 0 } env ? env : DefaultData,
    };

    internal static Option<string?> Server { get; } = new("--server")
    {
        Description = "Query a running `pretzel serve` at this URL instead of opening a store (default: $PRETZEL_SERVER)",
        HelpName = "URL",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PRETZEL_SERVER") is { Length: > 0 } env ? env : null,
    };

    internal static Option<string?> Key { get; } = new("--key")
    {
        Description = "Read key of the project to query on --server (default: $PRETZEL_KEY)",
        HelpName = "READ_KEY",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PRETZEL_KEY") is { Length: > 0 } env ? env : null,
    };
}
