namespace Pretzel.Ingest.Import;

/// <summary>One rejected input row: where it is, which column, the offending value and why.</summary>
/// <param name="Line">1-based line in the input file where the row starts.</param>
/// <param name="Column">The input column (header name or JSON key), or null when the whole row is at fault.</param>
/// <param name="Value">The offending value, shortened to 100 characters, or null.</param>
/// <param name="Reason">Why it was rejected, in words.</param>
public sealed record RowError(long Line, string? Column, string? Value, string Reason)
{
    /// <summary>Where the row came from, when the input says so (e.g. <c>orders-2.csv:17</c>); named instead of <see cref="Line"/>.</summary>
    public string? Origin { get; init; }

    /// <summary>The row's place as reports name it: its origin, or <c>line N</c>.</summary>
    public string Where => Origin ?? $"line {Line}";

    /// <summary>Shortens a value for display.</summary>
    internal static string? Shorten(string? value) =>
        value is null ? null : value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 97), "...");

    public override string ToString() =>
        Column is null ? $"{Where}: {Reason}" : $"{Where}, column {Column}: {Reason}";
}
