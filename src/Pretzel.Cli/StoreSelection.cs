using System.CommandLine;
using Pretzel.Core.Storage;
using Pretzel.Storage.ClickHouse;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Cli;

/// <summary>
/// Which store a command works on: <c>--store URL</c> (<c>clickhouse://HOST:PORT/DATABASE[?cluster=NAME]</c>,
/// or <c>duckdb:PATH</c>), else <c>--db PATH</c>, else <c>$PRETZEL_STORE</c>, else <c>$PRETZEL_DB</c>, else
/// <c>pretzel.duckdb</c>.
/// </summary>
internal static class StoreSelection
{
    internal static Option<string?> Store { get; } = new("--store")
    {
        Description = "Store URL: clickhouse://HOST:PORT/DATABASE[?cluster=NAME] for a ClickHouse cluster, or duckdb:PATH (default: the DuckDB file of --db; or $PRETZEL_STORE)",
        HelpName = "URL",
        Recursive = true,
    };

    /// <summary>Opens the selected store; <paramref name="readOnly"/> for commands that only read.</summary>
    internal static IEventStore Open(ParseResult parse, bool readOnly)
    {
        var dbGiven = parse.GetResult(CommonOptions.Db) is { Implicit: false };
        var url = parse.GetValue(Store) ?? (dbGiven ? null : Environment.GetEnvironmentVariable("PRETZEL_STORE"));
        if (string.IsNullOrWhiteSpace(url))
        {
            return OpenDuckDb(parse.GetValue(CommonOptions.Db)!, readOnly);
        }

        if (parse.GetValue(Store) is not null && dbGiven)
        {
            throw CliException.Usage("--store and --db name two stores; pass one of them");
        }

        if (url.StartsWith("duckdb:", StringComparison.OrdinalIgnoreCase))
        {
            return OpenDuckDb(url["duckdb:".Length..], readOnly);
        }

        if (url.StartsWith("clickhouse://", StringComparison.OrdinalIgnoreCase))
        {
            return OpenClickHouse(url, readOnly);
        }

        throw CliException.Usage($"--store {url}: expected clickhouse://HOST:PORT/DATABASE[?cluster=NAME] or duckdb:PATH");
    }

    // A store held by a running server: say which server, and how to query through it.
    private static DuckDbEventStore OpenDuckDb(string path, bool readOnly)
    {
        try
        {
            var store = DuckDbEventStore.Open(path, readOnly);
            if (store.SetAsideLog is { } setAside)
            {
                Console.Error.WriteLine($"pretzel: warning: DuckDB could not replay the store's own log (an ENUM type change cut by a crash); it was set aside as {setAside} and the store opened without it");
            }

            return store;
        }
        catch (StoreException ex) when (ex.Message.Contains("in use by another process", StringComparison.Ordinal))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            var data = folder is null ? null : Path.GetDirectoryName(folder);
            var server = data is null ? null : Pretzel.Server.ServerFile.FindUrl(data);
            var project = folder is null ? "PROJECT" : Path.GetFileName(folder);
            throw new CliException(server is null
                ? $"store '{Path.GetFullPath(path)}' is in use by another process (a running `pretzel serve`?); stop it, or query through it with --server URL --key READ_KEY"
                : $"store '{Path.GetFullPath(path)}' is held by the server running at {server}; query through it: --server {server} --key READ_KEY (the read key of project '{project}'), or stop the server first");
        }
    }

    // ClickHouse has no read-only open: queries are sent with readonly=1 and the statement guard instead.
    private static IEventStore OpenClickHouse(string url, bool readOnly)
    {
        _ = readOnly;
        ClickHouseStoreOptions options;
        try
        {
            options = ClickHouseStoreOptions.Parse(url);
        }
        catch (StoreException ex)
        {
            // A malformed URL is the caller's mistake (exit 2); an unreachable server is not (exit 1).
            throw CliException.Usage($"--store: {ex.Message}");
        }

        return ClickHouseEventStore.Open(options);
    }
}
