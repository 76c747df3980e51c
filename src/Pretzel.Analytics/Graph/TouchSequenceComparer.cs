namespace Pretzel.Analytics.Graph;

/// <summary>Touch sequences compared element by element (ordinal); ordered lexicographically, a prefix first.</summary>
internal sealed class TouchSequenceComparer : IEqualityComparer<IReadOnlyList<string>>, IComparer<IReadOnlyList<string>>
{
    public static TouchSequenceComparer Instance { get; } = new();

    public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (!string.Equals(x[i], y[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(IReadOnlyList<string> obj)
    {
        var hash = new HashCode();
        foreach (var touch in obj)
        {
            hash.Add(touch, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        if (x is null || y is null)
        {
            return (x is null ? 0 : 1) - (y is null ? 0 : 1);
        }

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
