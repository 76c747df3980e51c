using Pretzel.Core.Events;

namespace Pretzel.Analytics.Kernels;

/// <summary>Pieces every person-by-person kernel over the event columns shares.</summary>
internal static class PersonKernel
{
    /// <summary>
    /// Per code + 1 of <paramref name="column"/> (so that -1, no value, is index 0): whether it is one of
    /// <paramref name="names"/>; every entry is true when <paramref name="names"/> is null (any value, or none).
    /// </summary>
    internal static bool[] CodeSet(CodedColumn column, IReadOnlyList<string>? names)
    {
        var lookup = new bool[column.Labels.Length + 1];
        if (names is null)
        {
            Array.Fill(lookup, true);
            return lookup;
        }

        foreach (var name in names)
        {
            if (column.CodeOf(name) is >= 0 and var code)
            {
                lookup[code + 1] = true;
            }
        }

        return lookup;
    }

    /// <summary>
    /// Ranges of people to run in parallel: a fixed number (not one per core), merged in order, so sums are added in the
    /// same order on every machine.
    /// </summary>
    internal static (int From, int To)[] Ranges(int people)
    {
        var count = Math.Clamp(people / 4096, 1, 64);
        var ranges = new (int, int)[count];
        for (var r = 0; r < count; r++)
        {
            ranges[r] = ((int)((long)people * r / count), (int)((long)people * (r + 1) / count));
        }

        return ranges;
    }
}
