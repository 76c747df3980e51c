namespace Pretzel.Analytics.Funnels;

/// <summary>
/// The per-step counts of one group of a funnel, whichever way they were computed, and how they become
/// <see cref="FunnelRow"/>s: the reference and the kernel count differently but print alike.
/// </summary>
internal sealed class FunnelCounts(int steps)
{
    internal long[] Reach { get; } = new long[steps];

    /// <summary>Reached step k from an earlier step (k ≥ 2).</summary>
    internal long[] Continued { get; } = new long[steps];

    /// <summary>Reached step k on an attempt that started at step 1.</summary>
    internal long[] FromStart { get; } = new long[steps];

    internal long[] EnteredHere { get; } = new long[steps];

    internal long[] Dropped { get; } = new long[steps];

    internal long[] InWindow { get; } = new long[steps];

    /// <summary>Seconds from the step-1 event to step k, one value per unit counted in <see cref="FromStart"/>.</summary>
    internal List<double>[] Durations { get; } = [.. Enumerable.Range(0, steps).Select(_ => new List<double>())];

    /// <summary>Adds <paramref name="other"/>'s counts to these.</summary>
    internal void Add(FunnelCounts other)
    {
        for (var k = 0; k < Reach.Length; k++)
        {
            Reach[k] += other.Reach[k];
            Continued[k] += other.Continued[k];
            FromStart[k] += other.FromStart[k];
            EnteredHere[k] += other.EnteredHere[k];
            Dropped[k] += other.Dropped[k];
            InWindow[k] += other.InWindow[k];
            Durations[k].AddRange(other.Durations[k]);
        }
    }

    /// <summary>The rows; <paramref name="percentiles"/>, when given, are the times to convert per step instead of <see cref="Durations"/>'.</summary>
    internal IReadOnlyList<FunnelRow> Rows(FunnelOptions options, string? group, IReadOnlyList<(double? Median, double? P90)>? percentiles = null)
    {
        var rows = new List<FunnelRow>();
        var n = options.Steps.Count;
        for (var k = 0; k < n; k++)
        {
            rows.Add(new FunnelRow(
                k + 1,
                options.Steps[k].Name,
                Reach[k],
                k == 0 ? null : Ratio(Continued[k], Reach[k - 1]),
                k == 0 ? (Reach[0] > 0 ? 1.0 : null) : Ratio(FromStart[k], Reach[0]),
                k == n - 1 ? null : Dropped[k],
                k == n - 1 ? null : InWindow[k],
                options.Open ? EnteredHere[k] : null,
                k == 0 ? null : percentiles is null ? Percentile(Durations[k], 0.5) : percentiles[k].Median,
                k == 0 ? null : percentiles is null ? Percentile(Durations[k], 0.9) : percentiles[k].P90) { Group = group });
        }

        return rows;
    }

    private static double? Ratio(long a, long b) => b == 0 ? null : Math.Round((double)a / b, 6);

    // Nearest rank.
    private static double? Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return values[Math.Max(0, (int)Math.Ceiling(p * values.Count) - 1)];
    }
}
