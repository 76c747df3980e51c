using System.Runtime.CompilerServices;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

/// <summary>
/// A path table as the models read it: each row's touches as channel ids into <see cref="Channels"/>, with its
/// conversions, conversion value and nulls in flat arrays. A row without touches (a conversion with no touch in the
/// lookback, written <c>(no touch)</c> in a path table file) is one touch of the channel
/// <see cref="AttributionModels.NoTouch"/>, so every conversion is credited somewhere. Rows without journeys are kept
/// but add nothing.
/// </summary>
public sealed class AttributionTable
{
    private readonly string[] _channels;
    private readonly int[] _offsets;
    private readonly int[] _touches;
    private readonly long[] _conversions;
    private readonly double[] _values;
    private readonly long[] _nulls;
    private bool[]? _used;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal AttributionTable(string[] channels, int[] offsets, int[] touches, long[] conversions, double[] values, long[] nulls, int count, bool hasValue)
    {
        _channels = channels;
        _offsets = offsets;
        _touches = touches;
        _conversions = conversions;
        _values = values;
        _nulls = nulls;
        Count = count;
        HasValue = hasValue;
        for (var r = 0; r < count; r++)
        {
            TotalConversions += conversions[r];
            TotalValue += values[r];
            TotalNulls += nulls[r];
        }
    }

    /// <summary>Channel names by id, in order of first appearance.</summary>
    public IReadOnlyList<string> Channels => _channels;

    /// <summary>Rows.</summary>
    public int Count { get; }

    /// <summary>Whether the input had conversion values (a path table file may leave them out).</summary>
    public bool HasValue { get; }

    public long TotalConversions { get; }

    public double TotalValue { get; }

    public long TotalNulls { get; }

    internal ReadOnlySpan<int> Touches(int row) => _touches.AsSpan(_offsets[row], _offsets[row + 1] - _offsets[row]);

    internal long Conversions(int row) => _conversions[row];

    internal double Value(int row) => _values[row];

    internal long Nulls(int row) => _nulls[row];

    /// <summary>Row <paramref name="row"/> as a path table row (a <c>(no touch)</c> row without touches).</summary>
    public PathRow Row(int row)
    {
        var touches = Touches(row);
        string[] names = touches.Length == 1 && _channels[touches[0]] == AttributionModels.NoTouch ? [] : new string[touches.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = _channels[touches[i]];
        }

        return new PathRow(names, _conversions[row], _values[row], _nulls[row]);
    }

    /// <summary>Every row as a path table row.</summary>
    public IReadOnlyList<PathRow> Rows() => [.. Enumerable.Range(0, Count).Select(Row)];

    /// <summary>The channels that occur in rows with journeys (conversions or nulls) or value, by id.</summary>
    internal bool[] UsedChannels() => _used ??= FindUsedChannels();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool[] FindUsedChannels()
    {
        var used = new bool[_channels.Length];
        for (var r = 0; r < Count; r++)
        {
            if (_conversions[r] + _nulls[r] > 0 || _values[r] != 0)
            {
                foreach (var t in Touches(r))
                {
                    used[t] = true;
                }
            }
        }

        return used;
    }

    /// <summary>The table of <paramref name="rows"/>; <paramref name="hasValue"/> false when their values are unknown (all 0).</summary>
    public static AttributionTable FromRows(IEnumerable<PathRow> rows, bool hasValue = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new Builder(rows.TryGetNonEnumeratedCount(out var n) ? n : 16);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Conversions < 0 || row.Nulls < 0 || !double.IsFinite(row.ConversionValue))
            {
                throw new ArgumentException(
                    $"The path '{row.Path}' has a negative count or a value that is not a number ({row.Conversions} conversions, {row.ConversionValue} value, {row.Nulls} nulls).",
                    nameof(rows));
            }

            if (row.Touches.Count == 0)
            {
                builder.Touch(Id(ids, builder, AttributionModels.NoTouch));
            }

            foreach (var touch in row.Touches)
            {
                builder.Touch(Id(ids, builder, touch));
            }

            builder.EndRow(row.Conversions, row.ConversionValue, row.Nulls);
        }

        return builder.Build(hasValue);

        static int Id(Dictionary<string, int> ids, Builder builder, string touch)
        {
            if (!ids.TryGetValue(touch, out var id))
            {
                ids[touch] = id = builder.AddChannel(touch);
            }

            return id;
        }
    }

    /// <summary>Accumulates rows touch by touch.</summary>
    internal sealed class Builder(int capacity)
    {
        private readonly List<string> _names = [];
        private int[] _offsets = new int[Math.Max(capacity, 16) + 1];
        private int[] _touches = new int[Math.Max(capacity, 16) * 4];
        private long[] _conversions = new long[Math.Max(capacity, 16)];
        private double[] _values = new double[Math.Max(capacity, 16)];
        private long[] _nulls = new long[Math.Max(capacity, 16)];
        private int _count;
        private int _length;

        internal int AddChannel(string name)
        {
            _names.Add(name);
            return _names.Count - 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void Touch(int id)
        {
            if (_length == _touches.Length)
            {
                Grow();
            }

            _touches[_length++] = id;
        }

        private void Grow()
        {
            if (_length == Array.MaxLength)
            {
                throw new InvalidOperationException("The path table has too many touches to hold in memory.");
            }

            Array.Resize(ref _touches, (int)Math.Min(Array.MaxLength, 2L * _length));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void EndRow(long conversions, double value, long nulls)
        {
            if (_count + 1 == _offsets.Length)
            {
                var size = _offsets.Length * 2;
                Array.Resize(ref _offsets, size);
                Array.Resize(ref _conversions, size);
                Array.Resize(ref _values, size);
                Array.Resize(ref _nulls, size);
            }

            _conversions[_count] = conversions;
            _values[_count] = value;
            _nulls[_count] = nulls;
            _count++;
            _offsets[_count] = _length;
        }

        internal AttributionTable Build(bool hasValue) =>
            new([.. _names], _offsets, _touches, _conversions, _values, _nulls, _count, hasValue);
    }
}
