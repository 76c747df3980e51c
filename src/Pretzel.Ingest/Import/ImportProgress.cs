namespace Pretzel.Ingest.Import;

/// <summary>Where an import stands.</summary>
public readonly record struct ImportProgress(long BytesRead, long TotalBytes, long Rows, long Rejected);
