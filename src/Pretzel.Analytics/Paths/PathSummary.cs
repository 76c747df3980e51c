namespace Pretzel.Analytics.Paths;

/// <summary>
/// Everything known about one path: its journeys, the people who had them, conversions and value, and
/// the days from each converted journey's first touch to its conversion.
/// </summary>
public sealed class PathSummary(IReadOnlyList<string> touches)
{
    public IReadOnlyList<string> Touches { get; } = touches;

    public long Journeys { get; internal set; }

    /// <summary>People with at least one journey on this path.</summary>
    public long People { get; internal set; }

    public long Conversions { get; internal set; }

    public double Value { get; internal set; }

    /// <summary>Days from first touch to conversion, one per converted journey with a touch.</summary>
    public List<double> DaysToConvert { get; } = [];

    public long Nulls => Journeys - Conversions;

    /// <summary>The path's row of the path table.</summary>
    public PathRow Row => new(Touches, Conversions, Value, Nulls);

    internal void Add(PathSummary other)
    {
        Journeys += other.Journeys;
        People += other.People;
        Conversions += other.Conversions;
        Value += other.Value;
        DaysToConvert.AddRange(other.DaysToConvert);
    }
}

/// <summary>
/// One journey: its touches and their times (microseconds since the Unix epoch), whether it ended in a
/// conversion and with what value, and when it started (its first touch within the lookback) and ended
/// (its conversion, or its last touch).
/// </summary>
public sealed record PathJourney(IReadOnlyList<string> Touches, IReadOnlyList<long> TouchMicros, bool Converted, double Value, long Start, long End);

/// <summary>The order paths are listed in: touch by touch (ordinal), a path before its longer continuations.</summary>
public sealed class TouchOrder : IComparer<IReadOnlyList<string>>
{
    public static TouchOrder Instance { get; } = new();

    public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            var c = string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Count.CompareTo(y.Count);
    }
}

/// <summary>All paths of a store, with the totals their shares are taken of.</summary>
public sealed record PathResult(IReadOnlyList<PathSummary> Paths, long People, long Journeys)
{
    /// <summary>The path table: one row per path, in <see cref="TouchOrder"/>.</summary>
    public IReadOnlyList<PathRow> Table => [.. Paths.Select(p => p.Row)];
}
