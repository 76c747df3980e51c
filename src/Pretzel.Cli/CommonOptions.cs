using System.CommandLine;
using Pretzel.Cli.Output;
using Pretzel.Ingest.Projects;

namespace Pretzel.Cli;

/// <summary>Options every command shares: where the store is, how to print, which project file.</summary>
internal static class CommonOptions
{
    internal const string DefaultDb = "pretzel.duckdb";

    internal static Option<string> Db { get; } = new("--db")
    {
        Description = "DuckDB store file (default: $PRETZEL_DB, else pretzel.duckdb in the working folder)",
        HelpName = "PATH",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PRETZEL_DB") is { Length: > 0 } env ? env : DefaultDb,
        Recursive = true,
    };

    internal static Option<string?> Format { get; } = CreateFormat();

    internal static Option<string?> Project { get; } = new("--project")
    {
        Description = "Project file (YAML) with time zone, conversion rule and channel rules (default: pretzel.yaml in the working folder, if present)",
        HelpName = "FILE",
        Recursive = true,
    };

    private static Option<string?> CreateFormat()
    {
        var option = new Option<string?>("--format")
        {
            Description = "Output: table, json (array of row objects) or csv (default: table on a terminal, csv when piped)",
            HelpName = "table|json|csv",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "json", "csv");
        return option;
    }

    internal static OutputFormat ResolveFormat(string? value) => value switch
    {
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        "table" => OutputFormat.Table,
        _ => Console.IsOutputRedirected ? OutputFormat.Csv : OutputFormat.Table,
    };

    internal static ProjectSettings LoadProject(string? path)
    {
        if (path is null)
        {
            return File.Exists("pretzel.yaml") ? Load("pretzel.yaml") : ProjectSettings.Default;
        }

        if (!File.Exists(path))
        {
            throw CliException.Usage($"--project {path}: no such file");
        }

        return Load(path);
    }

    private static ProjectSettings Load(string path)
    {
        try
        {
            return ProjectSettings.Load(path);
        }
        catch (ProjectSettingsException ex)
        {
            throw new CliException(ex.Message, CliException.UsageError);
        }
    }
}
