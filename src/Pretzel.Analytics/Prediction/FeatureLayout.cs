using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// The supervised model's inputs, in order: eight journey measures, then per touch its count, whether it is the last
/// touch and whether it was the first (the acquisition segment), then the counts of the most frequent order-2
/// transitions (touch → next touch). The touch list ends with <see cref="Other"/>, for touches the model does not know.
/// </summary>
public sealed class FeatureLayout
{
    /// <summary>The bucket of touches outside the model's list.</summary>
    public const string Other = "(other)";

    /// <summary>At most this many touches get features of their own (the most frequent in training).</summary>
    public const int MaxTouches = 40;

    /// <summary>At most this many order-2 transitions get a feature (the most frequent in training).</summary>
    public const int MaxPairs = 64;

    internal const int TouchCount = 0;
    internal const int EventCount = 1;
    internal const int SessionCount = 2;
    internal const int DaysSinceFirstTouch = 3;
    internal const int DaysSinceLastTouch = 4;
    internal const int StageReached = 5;
    internal const int Refused = 6;
    internal const int DistinctTouches = 7;
    private const int Fixed = 8;

    private static readonly string[] FixedNames =
        ["touches", "events", "sessions", "days_since_first_touch", "days_since_last_touch", "stage_reached", "refused", "distinct_touches"];

    private readonly int[] _pairIndex;

    public FeatureLayout(IReadOnlyList<string> touches, IReadOnlyList<(int From, int To)> pairs)
    {
        ArgumentNullException.ThrowIfNull(touches);
        ArgumentNullException.ThrowIfNull(pairs);
        if (touches.Count == 0 || touches[^1] != Other)
        {
            throw new ArgumentException($"the touch list must end with {Other}", nameof(touches));
        }

        Touches = touches;
        Pairs = pairs;
        var t = touches.Count;
        _pairIndex = new int[t * t];
        Array.Fill(_pairIndex, -1);
        for (var k = 0; k < pairs.Count; k++)
        {
            _pairIndex[(pairs[k].From * t) + pairs[k].To] = k;
        }

        Names = [.. FixedNames, .. touches.Select(x => "count:" + x), .. touches.Select(x => "last:" + x), .. touches.Select(x => "first:" + x),
            .. pairs.Select(p => "pair:" + touches[p.From] + ">" + touches[p.To])];
    }

    /// <summary>The model's touches, <see cref="Other"/> last.</summary>
    public IReadOnlyList<string> Touches { get; }

    /// <summary>The order-2 transitions with a feature, as touch indexes.</summary>
    public IReadOnlyList<(int From, int To)> Pairs { get; }

    /// <summary>Feature names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Length => Names.Count;

    internal int Count(int touch) => Fixed + touch;

    internal int Last(int touch) => Fixed + Touches.Count + touch;

    internal int First(int touch) => Fixed + (2 * Touches.Count) + touch;

    /// <summary>The feature of transition <paramref name="from"/> → <paramref name="to"/>, or -1 when it has none.</summary>
    internal int Pair(int from, int to)
    {
        var k = PairSlot(from, to);
        return k < 0 ? -1 : PairFeature(k);
    }

    /// <summary>The position of transition <paramref name="from"/> → <paramref name="to"/> in <see cref="Pairs"/>, or -1.</summary>
    internal int PairSlot(int from, int to) => _pairIndex[(from * Touches.Count) + to];

    /// <summary>The feature of the <paramref name="k"/>-th transition of <see cref="Pairs"/>.</summary>
    internal int PairFeature(int k) => Fixed + (3 * Touches.Count) + k;

    /// <summary>
    /// The layout for <paramref name="columns"/>: the touches of events up to <paramref name="untilMicros"/> by frequency
    /// (ties by name), at most <see cref="MaxTouches"/>, and their most frequent order-2 transitions within a person.
    /// </summary>
    internal static FeatureLayout Build(EventColumns columns, PredictionOptions options, long untilMicros)
    {
        var coder = new TouchCoder(columns, options.Touch, [Other]);
        var counts = new long[coder.RawCount];
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns.Micros[i] <= untilMicros && coder.Raw(i) is >= 0 and var raw)
            {
                counts[raw]++;
            }
        }

        var top = Enumerable.Range(0, counts.Length).Where(r => counts[r] > 0)
            .Select(r => (Label: coder.Label(r)!, Count: counts[r]))
            .GroupBy(x => x.Label, StringComparer.Ordinal).Select(g => (Label: g.Key, Count: g.Sum(x => x.Count)))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Label, StringComparer.Ordinal).Take(MaxTouches)
            .Select(x => x.Label).ToList();
        top.Add(Other);
        var coded = new TouchCoder(columns, options.Touch, top);
        var t = top.Count;
        var pairCounts = new long[t * t];
        for (var p = 0; p < columns.PersonCount; p++)
        {
            var last = -1;
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1] && columns.Micros[i] <= untilMicros; i++)
            {
                if (coded.Of(i) is >= 0 and var touch)
                {
                    if (last >= 0)
                    {
                        pairCounts[(last * t) + touch]++;
                    }

                    last = touch;
                }
            }
        }

        var pairs = Enumerable.Range(0, pairCounts.Length).Where(k => pairCounts[k] > 0)
            .OrderByDescending(k => pairCounts[k]).ThenBy(k => k).Take(MaxPairs)
            .Select(k => (k / t, k % t)).ToList();
        return new FeatureLayout(top, pairs);
    }
}
