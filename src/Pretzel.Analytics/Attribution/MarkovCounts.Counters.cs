using System.Runtime.CompilerServices;

namespace Pretzel.Analytics.Attribution;

// Counting a range of rows: by arithmetic state ids while the states fit a dense table, else through a lookup.
internal sealed partial class MarkovCounts
{
    /// <summary>
    /// A row's weights in both chains. Conversion chain: its conversions and nulls. Value chain (when
    /// <paramref name="WithValue"/>): round(max(0, value) × <paramref name="PerValue"/>) and nulls ×
    /// <paramref name="NullScale"/>, else 0 and 0.
    /// </summary>
    internal readonly record struct RowWeights(bool WithValue, double PerValue, long NullScale)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void Of(AttributionTable table, int row, out long conversions, out long nulls, out long valueConversions, out long valueNulls)
        {
            conversions = table.Conversions(row);
            nulls = table.Nulls(row);
            valueConversions = WithValue ? (long)Math.Round(Math.Max(0, table.Value(row)) * PerValue) : 0;
            valueNulls = WithValue ? nulls * NullScale : 0;
        }
    }

    /// <summary>
    /// One range's counts with its own state numbering, in the shape <see cref="Merge"/> reads once
    /// <see cref="Finish"/> ran: states by key with their outcomes, and transitions as (from, to, both weights).
    /// </summary>
    private abstract class RangeCounter
    {
        internal bool TooLarge { get; private protected set; }

        internal int States { get; private protected set; }

        internal ulong[] Keys { get; private protected set; } = [];

        /// <summary>Per state: converted and lost weight in the conversion chain, then in the value chain.</summary>
        internal long[] Outcomes { get; private protected set; } = [];

        internal int Edges { get; private protected set; }

        internal int[] EdgeFrom { get; private protected set; } = [];

        internal int[] EdgeTo { get; private protected set; } = [];

        /// <summary>Per transition: its conversion-chain weight, then its value-chain weight.</summary>
        internal long[] EdgeWeights { get; private protected set; } = [];

        internal abstract void AddRange(AttributionTable table, int from, int to);

        internal virtual void Finish()
        {
        }

        private protected static T[] Grown<T>(T[] array, long size)
        {
            var larger = new T[size];
            array.AsSpan().CopyTo(larger);
            return larger;
        }
    }

    /// <summary>
    /// States numbered by arithmetic, so a step needs no lookup: with B = channels + 1, the state of touches x1 … xk is
    /// Σ (xi + 1)·B^(k−i); the step by t from a shorter state is id·B + t + 1, from a state of K touches it drops x1
    /// (known from the 16-bit key kept beside the id): (id − (x1 + 1)·B^(K−1))·B + t + 1. Weights live in a dense
    /// (state id, touch) table. The next state never waits on a load, so the table's cache misses overlap; each step of
    /// the lookup counter waits for the previous one (on the benchmark table at orders 3 and 4, about twice as slow).
    /// </summary>
    private sealed class ArithmeticCounter : RangeCounter
    {
        private readonly int _order;
        private readonly int _channels;
        private readonly int _base;
        private readonly int _lead;
        private readonly int _ids;
        private readonly RowWeights _weights;
        private readonly long[] _slots;
        private readonly long[] _outcomes;

        internal ArithmeticCounter(int order, int channels, RowWeights weights)
        {
            (_order, _channels, _weights) = (order, channels, weights);
            _base = channels + 1;
            _lead = (int)Math.Pow(_base, order - 1);
            _ids = _lead * _base;
            _slots = new long[2L * _ids * channels];
            _outcomes = new long[4L * _ids];
        }

        /// <summary>The dense table's size for <paramref name="order"/> and <paramref name="channels"/> (<see cref="long.MaxValue"/> when beyond any use).</summary>
        internal static long Slots(int order, int channels)
        {
            var slots = Math.Pow(channels + 1, order) * channels;
            return slots > int.MaxValue / 2 ? long.MaxValue : (long)slots;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal override void AddRange(AttributionTable table, int from, int to)
        {
            var (channels, b, lead) = (_channels, _base, _lead);
            var shift = 16 * (_order - 1);
            var mask = _order == 4 ? ulong.MaxValue : (1UL << (16 * _order)) - 1;
            var slots = _slots;
            var outcomes = _outcomes;
            for (var r = from; r < to; r++)
            {
                _weights.Of(table, r, out var conversions, out var nulls, out var valueConversions, out var valueNulls);
                var weight = conversions + nulls;
                var valueWeight = valueConversions + valueNulls;
                if (weight == 0 && valueWeight == 0)
                {
                    continue;
                }

                var id = 0;
                var key = 0UL;
                var previous = -1;
                foreach (var t in table.Touches(r))
                {
                    if (t == previous)
                    {
                        continue;
                    }

                    previous = t;
                    var slot = 2 * ((id * channels) + t);
                    slots[slot] += weight;
                    slots[slot + 1] += valueWeight;
                    id = ((id - ((int)(key >> shift) * lead)) * b) + t + 1;
                    key = ((key << 16) | (uint)(t + 1)) & mask;
                }

                outcomes[4 * id] += conversions;
                outcomes[(4 * id) + 1] += nulls;
                outcomes[(4 * id) + 2] += valueConversions;
                outcomes[(4 * id) + 3] += valueNulls;
            }
        }

        /// <summary>Numbers the states that were reached ((start) and every target of a transition with weight) and lists the transitions.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal override void Finish()
        {
            var local = new int[_ids];
            Array.Fill(local, -1);
            var keys = new List<ulong>();
            var edges = 0;
            for (var id = 0; id < _ids; id++)
            {
                var row = _slots.AsSpan(2 * id * _channels, 2 * _channels);
                var reached = id == 0 || _outcomes.AsSpan(4 * id, 4).ContainsAnyExcept(0L);
                for (var t = 0; t < _channels; t++)
                {
                    if (row[2 * t] != 0 || row[(2 * t) + 1] != 0)
                    {
                        reached = true;
                        edges++;
                    }
                }

                if (reached)
                {
                    local[id] = keys.Count;
                    keys.Add(KeyOf(id));
                }
            }

            States = keys.Count;
            Keys = [.. keys];
            Outcomes = new long[4 * States];
            EdgeFrom = new int[edges];
            EdgeTo = new int[edges];
            EdgeWeights = new long[2 * edges];
            var e = 0;
            for (var id = 0; id < _ids; id++)
            {
                if (local[id] < 0)
                {
                    continue;
                }

                _outcomes.AsSpan(4 * id, 4).CopyTo(Outcomes.AsSpan(4 * local[id]));
                var key = Keys[local[id]];
                for (var t = 0; t < _channels; t++)
                {
                    var slot = 2 * ((id * _channels) + t);
                    if (_slots[slot] == 0 && _slots[slot + 1] == 0)
                    {
                        continue;
                    }

                    EdgeFrom[e] = local[id];
                    EdgeTo[e] = local[((id - ((int)(key >> (16 * (_order - 1))) * _lead)) * _base) + t + 1];
                    EdgeWeights[2 * e] = _slots[slot];
                    EdgeWeights[(2 * e) + 1] = _slots[slot + 1];
                    e++;
                }
            }

            Edges = e;
        }

        /// <summary>The 16-bit-per-touch key of a state id (its base-B digits).</summary>
        private ulong KeyOf(int id)
        {
            var key = 0UL;
            for (var back = 0; id > 0; back++, id /= _base)
            {
                key |= (ulong)(id % _base) << (16 * back);
            }

            return key;
        }
    }

    /// <summary>
    /// States numbered as they are met, found through a (state, touch) → transition lookup: for many channels at a high
    /// order, where the arithmetic ids would not fit a dense table.
    /// </summary>
    private sealed class LookupCounter : RangeCounter
    {
        /// <summary>Largest (states × channels) lookup, 4 bytes each (256 MB at the limit); beyond it the table is left to the general chain.</summary>
        internal const long MaxLookup = 1L << 26;

        private readonly int _channels;
        private readonly ulong _mask;
        private readonly RowWeights _weights;
        private int[] _lookup;

        // State ids by key: open addressing, slotted by a multiplicative hash of the key; a slot holds id + 1 (0 is empty).
        // (Not a Dictionary: ulong's own hash folds a key's two halves together, which for keys of small ids collides heavily.)
        private int[] _ids = new int[64];

        internal LookupCounter(int order, int channels, RowWeights weights)
        {
            _channels = channels;
            _mask = order == 4 ? ulong.MaxValue : (1UL << (16 * order)) - 1;
            _weights = weights;
            _lookup = new int[16 * Math.Max(1, channels)];
            Keys = new ulong[16];
            Outcomes = new long[64];
            EdgeFrom = new int[64];
            EdgeTo = new int[64];
            EdgeWeights = new long[128];
            NewState(0);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal override void AddRange(AttributionTable table, int from, int to)
        {
            var channels = _channels;
            for (var r = from; r < to; r++)
            {
                _weights.Of(table, r, out var conversions, out var nulls, out var valueConversions, out var valueNulls);
                var weight = conversions + nulls;
                var valueWeight = valueConversions + valueNulls;
                if (weight == 0 && valueWeight == 0)
                {
                    continue;
                }

                var state = 0;
                var previous = -1;
                var (lookup, edgeWeights, edgeTo) = (_lookup, EdgeWeights, EdgeTo);
                foreach (var t in table.Touches(r))
                {
                    if (t == previous)
                    {
                        continue;
                    }

                    previous = t;
                    var slot = (state * channels) + t;
                    var e = lookup[slot] - 1;
                    if (e < 0)
                    {
                        e = NewEdge(state, t, slot);
                        if (TooLarge)
                        {
                            return;
                        }

                        (lookup, edgeWeights, edgeTo) = (_lookup, EdgeWeights, EdgeTo);
                    }

                    edgeWeights[2 * e] += weight;
                    edgeWeights[(2 * e) + 1] += valueWeight;
                    state = edgeTo[e];
                }

                var outcomes = Outcomes;
                outcomes[4 * state] += conversions;
                outcomes[(4 * state) + 1] += nulls;
                outcomes[(4 * state) + 2] += valueConversions;
                outcomes[(4 * state) + 3] += valueNulls;
            }
        }

        private int NewEdge(int state, int touch, int slot)
        {
            var key = ((Keys[state] << 16) | (uint)(touch + 1)) & _mask;
            var next = StateOf(key);
            if (next < 0)
            {
                next = NewState(key);
                if (TooLarge)
                {
                    return -1;
                }
            }

            var e = Edges++;
            if (e == EdgeFrom.Length)
            {
                EdgeFrom = Grown(EdgeFrom, 2L * e);
                EdgeTo = Grown(EdgeTo, 2L * e);
                EdgeWeights = Grown(EdgeWeights, 4L * e);
            }

            EdgeFrom[e] = state;
            EdgeTo[e] = next;
            _lookup[slot] = e + 1;
            return e;
        }

        private int NewState(ulong key)
        {
            var s = States++;
            if (s == Keys.Length)
            {
                if (2L * s * _channels > MaxLookup)
                {
                    TooLarge = true;
                    return -1;
                }

                Keys = Grown(Keys, 2L * s);
                Outcomes = Grown(Outcomes, 8L * s);
                _lookup = Grown(_lookup, 2L * s * _channels);
            }

            Keys[s] = key;
            if (2 * States > _ids.Length)
            {
                _ids = new int[2 * _ids.Length];
                for (var i = 0; i < States; i++)
                {
                    _ids[FreeSlot(Keys[i])] = i + 1;
                }
            }
            else
            {
                _ids[FreeSlot(key)] = s + 1;
            }

            return s;
        }

        /// <summary>The state with <paramref name="key"/>, or −1.</summary>
        private int StateOf(ulong key)
        {
            var mask = _ids.Length - 1;
            for (var slot = Hash(key) & mask; ; slot = (slot + 1) & mask)
            {
                var id = _ids[slot] - 1;
                if (id < 0 || Keys[id] == key)
                {
                    return id;
                }
            }
        }

        private int FreeSlot(ulong key)
        {
            var mask = _ids.Length - 1;
            var slot = Hash(key) & mask;
            while (_ids[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            return slot;
        }

        private static int Hash(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 33);
    }
}
