namespace Pretzel.Ingest.Import;

/// <summary>Bounds on one input row, so a broken or hostile file cannot exhaust memory.</summary>
public sealed record ImportLimits
{
    /// <summary>Longest accepted value of one field, in characters (Segment's per-event limit, 32 KB).</summary>
    public int MaxFieldLength { get; init; } = 32 * 1024;

    /// <summary>Longest line or record the readers buffer, in bytes; longer ones are reported and skipped (JSONL) or end the file (CSV). Default 16 MB.</summary>
    public int MaxRecordBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Earliest accepted event time.</summary>
    public DateTime EarliestTimestamp { get; init; } = new(1990, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>How far past "now" an event time may lie (clock skew of the sender). Default 1 day.</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromDays(1);
}
