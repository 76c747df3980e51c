namespace Pretzel.Ingest.Import;

/// <summary>Reads an input, row by row, into <see cref="RawRow"/>s.</summary>
internal interface IRowSource : IDisposable
{
    /// <summary>What the input calls each event field (null where it has none).</summary>
    string?[] FieldColumns { get; }

    /// <summary>Bytes consumed so far (approximate, for progress).</summary>
    long BytesRead { get; }

    /// <summary>
    /// Reads the next row. Returns false at the end. When the row is structurally broken (wrong field
    /// count, bad JSON), returns true with <paramref name="error"/> set and <paramref name="row"/> unusable.
    /// </summary>
    bool Read(RawRow row, out RowError? error);

    /// <summary>Set when reading had to stop before the end of the input, with the reason.</summary>
    string? Stopped { get; }
}
