namespace Pretzel.Ingest.Import;

/// <summary>
/// One shared string per distinct low-cardinality value (event names, sources, campaigns…): they repeat
/// on almost every row, so a million-row import holds a few hundred strings instead of a million, and
/// later stages (the staging writers' ENUM bookkeeping) can compare them by reference. Bounded, so a
/// column that turns out to be unique does not grow it without end.
/// </summary>
internal sealed class StringPool
{
    private const int MaxEntries = 100_000;
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal StringPool()
    {
        _lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Fields whose values are worth pooling.</summary>
    internal static bool IsLowCardinality(EventField field) => field is EventField.Type or EventField.Event or EventField.Channel
        or EventField.Source or EventField.Medium or EventField.Campaign or EventField.Content or EventField.Term
        or EventField.Currency;

    /// <summary>The pooled string for <paramref name="value"/>, allocating only the first time it is seen.</summary>
    internal string Get(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        var s = value.ToString();
        if (_pool.Count < MaxEntries)
        {
            _pool.Add(s, s);
        }

        return s;
    }
}
