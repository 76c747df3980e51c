using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Pretzel.Server;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel serve</c>: the Segment-compatible collector and the query API.</summary>
internal static class ServeCommand
{
    internal static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (default 8080; 0 picks a free one)", DefaultValueFactory = _ => 8080 };
        var flush = new Option<double>("--flush-interval") { Description = "Seconds between moves of accepted events from the write-ahead log into the store (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("serve", "Run the collector (Segment HTTP Tracking API at /v1/*), the query API (/api/v1/*), /health and /metrics")
        {
            ServerOptionsCli.Data, host, port, flush,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var data = parse.GetValue(ServerOptionsCli.Data)!;
            var p = parse.GetValue(port);
            if (p is < 0 or > 65535)
            {
                throw CliException.Usage($"--port {p}: expected 0..65535");
            }

            var interval = parse.GetValue(flush);
            if (!(interval is > 0 and <= 3600))
            {
                throw CliException.Usage($"--flush-interval {interval}: expected seconds between 0 and 3600");
            }

            if (parse.GetResult(CommonOptions.Db) is { Implicit: false })
            {
                throw CliException.Usage("serve keeps one store per project in --data; --db does not apply (use --store clickhouse://… to keep events in ClickHouse)");
            }

            var store = parse.GetValue(StoreSelection.Store);
            if (store is not null && !store.StartsWith("clickhouse://", StringComparison.OrdinalIgnoreCase))
            {
                throw CliException.Usage($"--store {store}: serve takes clickhouse://HOST:PORT/DATABASE (project NAME gets DATABASE_NAME); without it, each project has a DuckDB store in --data");
            }

            var hostName = parse.GetValue(host)!;
            var url = $"http://{(hostName.Contains(':', StringComparison.Ordinal) ? "[" + hostName + "]" : hostName)}:{p.ToString(CultureInfo.InvariantCulture)}";
            List<string> args =
            [
                "--urls", url,
                "--Pretzel:DataDirectory", Path.GetFullPath(data),
                "--Pretzel:FlushInterval", TimeSpan.FromSeconds(interval).ToString("c", CultureInfo.InvariantCulture),
            ];
            if (store is not null)
            {
                args.AddRange(["--Pretzel:Store", store]);
            }

            await using var app = ServerHost.Build([.. args]);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
