namespace Pretzel.Ingest.Import;

/// <summary>Input file formats.</summary>
public enum ImportFormat
{
    /// <summary>From the file extension: <c>.csv</c>, <c>.tsv</c>, <c>.txt</c> → CSV; <c>.jsonl</c>, <c>.ndjson</c>, <c>.json</c> → JSON lines.</summary>
    Auto,

    /// <summary>Delimited text with a header row; the delimiter (comma, tab, semicolon, pipe) is detected from the header.</summary>
    Csv,

    /// <summary>One JSON object per line, in Pretzel's snake_case or Segment's camelCase shape.</summary>
    JsonLines,
}
