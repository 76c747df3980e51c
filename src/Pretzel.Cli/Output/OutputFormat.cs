namespace Pretzel.Cli.Output;

/// <summary>How rows are printed.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}
