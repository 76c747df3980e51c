namespace Pretzel.Ingest.Import;

/// <summary>How to read one input file.</summary>
public sealed record ImportOptions
{
    /// <summary>Input format. Default: from the extension.</summary>
    public ImportFormat Format { get; init; } = ImportFormat.Auto;

    /// <summary>
    /// Input column → event field (<c>user_id</c>, <c>timestamp</c>, …) or <c>properties.NAME</c>, for headers
    /// that are not already event-field names; <c>-</c> drops a column. Columns that are neither event
    /// fields nor mapped become string properties.
    /// </summary>
    public IReadOnlyDictionary<string, string> ColumnMap { get; init; } = new Dictionary<string, string>();

    /// <summary>CSV delimiter; null detects it from the header.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Text encoding: <c>utf-8</c> (default; a UTF-16 byte-order mark is honoured) or <c>latin1</c>.</summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>Row bounds.</summary>
    public ImportLimits Limits { get; init; } = new();

    /// <summary>
    /// A CSV column saying where each row came from (e.g. <c>orders-2.csv:17</c>, written by an import through a
    /// <c>--select</c> query): error reports and the rejects file name it instead of the line; it is not stored.
    /// </summary>
    public string? OriginColumn { get; init; }

    /// <summary>Where rejected rows are written; null means <c>FILE.rejects.csv</c> beside the input (or in the working folder when that is read-only).</summary>
    public string? RejectsPath { get; init; }
}
