using System.CommandLine;
using Pretzel.Cli.Output;
using Pretzel.Server.Projects;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel projects create NAME</c> and <c>pretzel projects list</c>: the projects a server collects for, and their keys.</summary>
internal static class ProjectsCommand
{
    internal static Command Create()
    {
        var command = new Command("projects", "Manage the projects of a server's data folder: each has its own store, a write key (ingest only) and a read key (queries only)");
        var name = new Argument<string>("name") { Description = "Project name: a lower-case letter, then lower-case letters, digits or '_'" };
        var create = new Command("create", "Create a project and print its write key and read key (shown once; only their hashes are kept)") { name, ServerOptionsCli.Data };
        create.SetAction(parse =>
        {
            var registry = new ProjectRegistry(parse.GetValue(ServerOptionsCli.Data)!);
            CreatedProject created;
            try
            {
                created = registry.Create(parse.GetValue(name)!, DateTime.UtcNow);
            }
            catch (ProjectRegistryException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)),
                ["project", "write_key", "read_key", "data"],
                [[created.Project.Name, created.WriteKey, created.ReadKey, Path.Combine(registry.DataDirectory, created.Project.Name)]]);
            if (!Console.IsErrorRedirected)
            {
                Console.Error.WriteLine("Keep the keys: they are not shown again. Send events with the write key; query with the read key.");
            }

            return 0;
        });

        var list = new Command("list", "List the projects of the data folder") { ServerOptionsCli.Data };
        list.SetAction(parse =>
        {
            var registry = new ProjectRegistry(parse.GetValue(ServerOptionsCli.Data)!);
            IReadOnlyList<ProjectRecord> projects;
            try
            {
                projects = registry.List();
            }
            catch (ProjectRegistryException ex)
            {
                throw new CliException(ex.Message);
            }

            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)),
                ["project", "created_at", "store"],
                [.. projects.Select(p => new object?[] { p.Name, p.CreatedAt, Path.Combine(registry.DataDirectory, p.Name, "events.duckdb") })]);
            return 0;
        });
        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        return command;
    }
}
