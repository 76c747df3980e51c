using System.CommandLine;
using Pretzel.Cli.Output;
using Pretzel.Core.Storage;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel sql "SELECT …"</c>: read-only SQL over the store.</summary>
internal static class SqlCommand
{
    internal static Command Create()
    {
        var query = new Argument<string>("query") { Description = "A SELECT (or WITH/DESCRIBE/SHOW/SUMMARIZE) over events, identities, persons, person_events" };
        var command = new Command("sql", "Run read-only SQL over the store (tables: events, identities; views: person_events, persons)")
        {
            query, ServerOptionsCli.Server, ServerOptionsCli.Key,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var sql = parse.GetValue(query)!;
            if (string.IsNullOrWhiteSpace(sql))
            {
                throw CliException.Usage("sql: the query is empty");
            }

            QueryResult result;
            if (parse.GetValue(ServerOptionsCli.Server) is { } server)
            {
                result = await ServerClient.QueryAsync(server, parse.GetValue(ServerOptionsCli.Key), sql, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var store = StoreSelection.Open(parse, readOnly: true);
                result = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
            }

            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), result.Columns, result.Rows);
            return 0;
        });
        return command;
    }
}
