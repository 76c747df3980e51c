using System.Text;
using Pretzel.Core.Events;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// A chunk of events staged column by column in managed arrays, ready to be handed to DuckDB's
/// appender as data chunks (<see cref="NativeChunkAppender"/>) with no text to parse: times as
/// microseconds, revenue as doubles, the ENUM columns as codes into a per-chunk label list (mapped to
/// the store's ENUM codes when the chunk moves), and the other text as UTF-8 in one byte arena. An empty
/// text is staged as null, as the TSV staging did (so an empty message id fails the NOT NULL check).
/// A few large arrays rather than an object per event, so a chunk costs the garbage collector nothing
/// to keep alive while it waits for its move.
/// </summary>
internal sealed class EventChunk
{
    /// <summary>The text columns other than the ENUMs, in the order of <see cref="Strings"/>.</summary>
    internal static readonly string[] StringNames = ["message_id", "anonymous_id", "user_id", "previous_id", "group_id", "referrer", "properties"];

    internal const int MessageId = 0;

    private const int InitialRows = 1024;

    private readonly Dictionary<string, int>[] _enumIndex = new Dictionary<string, int>[EnumColumns.Names.Length];
    private readonly string?[] _lastEnumValue = new string?[EnumColumns.Names.Length];
    private readonly int[] _lastEnumCode = new int[EnumColumns.Names.Length];

    // Per ENUM column, the first few distinct string instances seen and their codes.
    private readonly string?[][] _recentRefs = new string?[EnumColumns.Names.Length][];
    private readonly int[][] _recentCodes = new int[EnumColumns.Names.Length][];

    internal EventChunk()
    {
        for (var i = 0; i < EnumColumns.Names.Length; i++)
        {
            _enumIndex[i] = new Dictionary<string, int>(StringComparer.Ordinal);
            _recentRefs[i] = new string?[16];
            _recentCodes[i] = new int[16];
            EnumLabels[i] = [];
            EnumCodes[i] = new int[InitialRows];
        }

        for (var i = 0; i < StringNames.Length; i++)
        {
            Strings[i] = new long[InitialRows];
        }
    }

    /// <summary>Events staged.</summary>
    internal int Count { get; private set; }

    /// <summary>Bytes of text staged (the arena's fill).</summary>
    internal int TextBytes { get; private set; }

    /// <summary>The UTF-8 text of every staged text value, back to back.</summary>
    internal byte[] Arena { get; private set; } = new byte[1 << 16];

    /// <summary>Per text column, per row: offset in <see cref="Arena"/> (high 32 bits) and byte length (low 32 bits); -1 for null or empty.</summary>
    internal long[][] Strings { get; } = new long[StringNames.Length][];

    /// <summary>Per ENUM column (in <see cref="EnumColumns.Names"/> order), per row: index into <see cref="EnumLabels"/>, -1 for null or empty.</summary>
    internal int[][] EnumCodes { get; } = new int[EnumColumns.Names.Length][];

    /// <summary>Per ENUM column, the distinct values of this chunk, in first-seen order.</summary>
    internal List<string>[] EnumLabels { get; } = new List<string>[EnumColumns.Names.Length];

    /// <summary>Timestamps, microseconds since the Unix epoch.</summary>
    internal long[] Timestamps { get; private set; } = new long[InitialRows];

    /// <summary>Receive times, microseconds since the Unix epoch.</summary>
    internal long[] ReceivedAt { get; private set; } = new long[InitialRows];

    /// <summary>Revenue (meaningful where <see cref="HasRevenue"/>).</summary>
    internal double[] Revenue { get; private set; } = new double[InitialRows];

    /// <summary>Whether the row has a revenue.</summary>
    internal bool[] HasRevenue { get; private set; } = new bool[InitialRows];

    /// <summary>The distinct values of each ENUM column in this chunk, in <see cref="EnumColumns.Names"/> order.</summary>
    internal IReadOnlyList<HashSet<string>> EnumValues => EnumLabels.Select(l => l.ToHashSet(StringComparer.Ordinal)).ToList();

    internal void Add(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Count == Timestamps.Length)
        {
            Grow();
        }

        var row = Count;
        Enum(0, row, e.Type.Name());
        Enum(1, row, e.Name);
        Enum(2, row, e.Channel);
        Enum(3, row, e.Source);
        Enum(4, row, e.Medium);
        Enum(5, row, e.Campaign);
        Enum(6, row, e.Content);
        Enum(7, row, e.Term);
        Enum(8, row, e.Currency);
        Text(0, row, e.MessageId);
        Text(1, row, e.AnonymousId);
        Text(2, row, e.UserId);
        Text(3, row, e.PreviousId);
        Text(4, row, e.GroupId);
        Text(5, row, e.Referrer);
        Text(6, row, e.Properties);
        Timestamps[row] = EventTime.ToMicros(e.Timestamp);
        ReceivedAt[row] = EventTime.ToMicros(e.ReceivedAt);
        HasRevenue[row] = e.Revenue.HasValue;
        Revenue[row] = e.Revenue.GetValueOrDefault();
        Count = row + 1;
    }

    /// <summary>The text of column <paramref name="column"/> at <paramref name="row"/> (null for none); for tests and checks.</summary>
    internal string? GetText(int column, int row)
    {
        var slot = Strings[column][row];
        return slot < 0 ? null : Encoding.UTF8.GetString(Arena, (int)(slot >> 32), (int)(slot & 0xFFFF_FFFF));
    }

    /// <summary>Empties the chunk for reuse, keeping its arrays.</summary>
    internal void Clear()
    {
        Count = 0;
        TextBytes = 0;
        for (var i = 0; i < EnumLabels.Length; i++)
        {
            EnumLabels[i].Clear();
            _enumIndex[i].Clear();
            _lastEnumValue[i] = null;
            Array.Clear(_recentRefs[i]);
        }
    }

    private void Enum(int column, int row, string? value)
    {
        int code;
        if (string.IsNullOrEmpty(value))
        {
            code = -1;
        }
        else if (ReferenceEquals(value, _lastEnumValue[column]))
        {
            // Values are mostly a few shared strings: reference checks skip the hash.
            code = _lastEnumCode[column];
        }
        else
        {
            var refs = _recentRefs[column];
            var slot = 0;
            while (slot < refs.Length && refs[slot] is { } known && !ReferenceEquals(known, value))
            {
                slot++;
            }

            if (slot < refs.Length && refs[slot] is not null)
            {
                code = _recentCodes[column][slot];
            }
            else
            {
                if (!_enumIndex[column].TryGetValue(value, out code))
                {
                    code = EnumLabels[column].Count;
                    EnumLabels[column].Add(value);
                    _enumIndex[column].Add(value, code);
                }

                if (slot < refs.Length)
                {
                    refs[slot] = value;
                    _recentCodes[column][slot] = code;
                }
            }

            _lastEnumValue[column] = value;
            _lastEnumCode[column] = code;
        }

        EnumCodes[column][row] = code;
    }

    private void Text(int column, int row, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Strings[column][row] = -1;
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (Arena.Length - TextBytes < max)
        {
            var size = Arena.Length;
            while (size - TextBytes < max)
            {
                size = checked(size * 2);
            }

            var bigger = GC.AllocateUninitializedArray<byte>(size);
            Arena.AsSpan(0, TextBytes).CopyTo(bigger);
            Arena = bigger;
        }

        var length = Encoding.UTF8.GetBytes(value, Arena.AsSpan(TextBytes));
        Strings[column][row] = ((long)TextBytes << 32) | (uint)length;
        TextBytes += length;
    }

    private void Grow()
    {
        var size = Timestamps.Length * 2;
        for (var i = 0; i < EnumCodes.Length; i++)
        {
            EnumCodes[i] = Resize(EnumCodes[i], size);
        }

        for (var i = 0; i < Strings.Length; i++)
        {
            Strings[i] = Resize(Strings[i], size);
        }

        Timestamps = Resize(Timestamps, size);
        ReceivedAt = Resize(ReceivedAt, size);
        Revenue = Resize(Revenue, size);
        HasRevenue = Resize(HasRevenue, size);
    }

    private static T[] Resize<T>(T[] array, int size)
    {
        var bigger = GC.AllocateUninitializedArray<T>(size);
        array.AsSpan().CopyTo(bigger);
        return bigger;
    }
}
