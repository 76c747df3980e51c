namespace Pretzel.Ingest.Import;

/// <summary>What an import did.</summary>
/// <param name="Input">The file (or label) imported.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Written">Events newly stored.</param>
/// <param name="Duplicates">Valid events already stored (same message_id), not stored again.</param>
/// <param name="Rejected">Rows rejected as invalid.</param>
/// <param name="Errors">The first rejected rows (up to 1,000), in file order.</param>
/// <param name="RejectsFile">File holding every rejected row, or null when none were rejected.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Stopped">Why reading stopped before the end of the input (e.g. an unterminated quote), or null.</param>
public sealed record ImportReport(
    string Input,
    long Rows,
    long Written,
    long Duplicates,
    long Rejected,
    IReadOnlyList<RowError> Errors,
    string? RejectsFile,
    TimeSpan Elapsed,
    string? Stopped)
{
    /// <summary>
    /// True when <see cref="EventImporter.SkipIdentityRebuild"/> left the identity map behind events this
    /// import stored; <see cref="Identity.IdentityStitcher.RebuildAsync"/> brings it up to date.
    /// </summary>
    public bool IdentityMapStale { get; init; }
}
