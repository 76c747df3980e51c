using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Graph;

/// <summary>
/// The transitions of a chain being counted: for a state and the touch that follows it, the next state and the
/// journeys that took that step. Open addressing with linear probing over one long key (<c>state &lt;&lt; 32 | touch</c>)
/// and a multiplicative hash, at most half full; a step that was seen before costs one multiply and usually one probe.
/// </summary>
internal sealed class TransitionTable
{
    private const long Empty = -1;
    private const ulong Golden = 0x9E37_79B9_7F4A_7C15;

    private long[] _keys;
    private int[] _next;
    private long[] _counts;
    private int _bits;

    internal TransitionTable(int bits = 10)
    {
        _bits = bits;
        _keys = new long[1 << bits];
        Array.Fill(_keys, Empty);
        _next = new int[1 << bits];
        _counts = new long[1 << bits];
    }

    /// <summary>Transitions in the table.</summary>
    internal int Count { get; private set; }

    /// <summary>Where the step <paramref name="state"/> → <paramref name="touch"/> is, or the complement of where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Find(int state, int touch)
    {
        var key = Key(state, touch);
        var mask = _keys.Length - 1;
        var slot = (int)(((ulong)key * Golden) >> (64 - _bits));
        while (true)
        {
            var found = _keys[slot];
            if (found == key)
            {
                return slot;
            }

            if (found == Empty)
            {
                return ~slot;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds the step at the place <see cref="Find"/> gave (as its complement); returns where it is.</summary>
    internal int Insert(int state, int touch, int free, int next)
    {
        if ((Count + 1) * 2 > _keys.Length)
        {
            Grow();
            free = ~Find(state, touch);
        }

        _keys[free] = Key(state, touch);
        _next[free] = next;
        Count++;
        return free;
    }

    /// <summary>The next state of the step at <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Next(int slot) => _next[slot];

    /// <summary>Adds <paramref name="weight"/> journeys to the step at <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int slot, long weight) => _counts[slot] += weight;

    /// <summary>Every step: its state, its next state and its journeys.</summary>
    internal IEnumerable<(int From, int To, long Count)> Steps()
    {
        for (var slot = 0; slot < _keys.Length; slot++)
        {
            if (_keys[slot] != Empty)
            {
                yield return ((int)(_keys[slot] >> 32), _next[slot], _counts[slot]);
            }
        }
    }

    private static long Key(int state, int touch) => ((long)state << 32) | (uint)touch;

    private void Grow()
    {
        var keys = _keys;
        var next = _next;
        var counts = _counts;
        _bits++;
        _keys = new long[1 << _bits];
        Array.Fill(_keys, Empty);
        _next = new int[1 << _bits];
        _counts = new long[1 << _bits];
        for (var old = 0; old < keys.Length; old++)
        {
            if (keys[old] != Empty)
            {
                var slot = ~Find((int)(keys[old] >> 32), (int)keys[old]);
                _keys[slot] = keys[old];
                _next[slot] = next[old];
                _counts[slot] = counts[old];
            }
        }
    }
}
