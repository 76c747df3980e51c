using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

// Interning touch names and writing the rows into the table's arrays.
public static partial class AttributionPathFile
{
    /// <summary>
    /// Touch names to channel ids for all the block parsers at once, looked up by their UTF-8 bytes without making a
    /// string: an open-addressing table keyed by the name's length and its first and last eight bytes (which are the
    /// whole name up to 16 bytes, so shorter names need no further comparison). Lookups take no lock; a new name is
    /// added under a lock and published whole (a new entry, or a new larger table).
    /// </summary>
    private sealed class TouchInterner
    {
        private readonly Lock _lock = new();
        private readonly List<string> _names = [];
        private Entry?[] _slots = new Entry?[64];

        /// <summary>The names by id (read when no parser runs any more).</summary>
        internal IReadOnlyList<string> Names => _names;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Intern(ReadOnlySpan<byte> name)
        {
            var (head, tail) = Words(name);
            var slots = Volatile.Read(ref _slots);
            var mask = slots.Length - 1;
            var slot = Slot(head, tail, name.Length) & mask;
            while (true)
            {
                var entry = Volatile.Read(ref slots[slot]);
                if (entry is null)
                {
                    return Add(name, head, tail);
                }

                if (entry.Head == head && entry.Tail == tail && entry.Key.Length == name.Length && (name.Length <= 16 || name.SequenceEqual(entry.Key)))
                {
                    return entry.Id;
                }

                slot = (slot + 1) & mask;
            }
        }

        private int Add(ReadOnlySpan<byte> name, ulong head, ulong tail)
        {
            lock (_lock)
            {
                var slots = _slots;
                var mask = slots.Length - 1;
                var slot = Slot(head, tail, name.Length) & mask;
                for (; slots[slot] is { } entry; slot = (slot + 1) & mask)
                {
                    if (entry.Key.AsSpan().SequenceEqual(name))
                    {
                        return entry.Id;
                    }
                }

                var added = new Entry(name.ToArray(), head, tail, _names.Count);
                _names.Add(Encoding.UTF8.GetString(name));
                if (_names.Count * 2 > slots.Length)
                {
                    var larger = new Entry?[slots.Length * 2];
                    foreach (var entry in slots)
                    {
                        if (entry is not null)
                        {
                            Place(larger, entry);
                        }
                    }

                    Place(larger, added);
                    Volatile.Write(ref _slots, larger);
                }
                else
                {
                    Volatile.Write(ref slots[slot], added);
                }

                return added.Id;
            }
        }

        private static void Place(Entry?[] slots, Entry entry)
        {
            var mask = slots.Length - 1;
            var slot = Slot(entry.Head, entry.Tail, entry.Key.Length) & mask;
            while (slots[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static (ulong Head, ulong Tail) Words(ReadOnlySpan<byte> name)
        {
            if (name.Length >= 8)
            {
                return (MemoryMarshal.Read<ulong>(name), MemoryMarshal.Read<ulong>(name[^8..]));
            }

            if (name.Length >= 4)
            {
                return (MemoryMarshal.Read<uint>(name), MemoryMarshal.Read<uint>(name[^4..]));
            }

            ulong head = 0;
            foreach (var b in name)
            {
                head = (head << 8) | b;
            }

            return (head, 0);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int Slot(ulong head, ulong tail, int length)
        {
            var h = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)length;
            return (int)(h >> 40);
        }

        private sealed class Entry(byte[] key, ulong head, ulong tail, int id)
        {
            internal byte[] Key { get; } = key;

            internal ulong Head { get; } = head;

            internal ulong Tail { get; } = tail;

            internal int Id { get; } = id;
        }
    }

    /// <summary>
    /// One parser's cache in front of the shared <see cref="TouchInterner"/>: a direct-mapped table of the names of up to
    /// 16 bytes it met, which are whole in their length and first and last eight bytes, so a hit compares three numbers
    /// in the parser's own memory (no shared entry to follow, no bytes to compare). On the benchmark's file, ten million
    /// touches of 20 names, nearly every touch is a hit.
    /// </summary>
    private sealed class NameCache(TouchInterner interner)
    {
        private const int Size = 256;
        private readonly Cached[] _slots = new Cached[Size];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Intern(ReadOnlySpan<byte> name)
        {
            if (name.Length > 16)
            {
                return interner.Intern(name);
            }

            var (head, tail) = TouchInterner.Words(name);
            ref var slot = ref _slots[TouchInterner.Slot(head, tail, name.Length) & (Size - 1)];
            if (slot.Head == head && slot.Tail == tail && slot.Length == name.Length && slot.Id > 0)
            {
                return slot.Id - 1;
            }

            var id = interner.Intern(name);
            slot = new Cached(head, tail, name.Length, id + 1);
            return id;
        }

        /// <summary>A name's words and length, and its id + 1 (0: an empty slot).</summary>
        private readonly record struct Cached(ulong Head, ulong Tail, int Length, int Id);
    }

    /// <summary>
    /// The table's arrays while blocks are parsed into them: each block reserves a stretch of rows and touches (in file
    /// order, on the reading thread) and fills it; <see cref="Table"/> closes up the gaps and numbers the channels in order
    /// of first appearance.
    /// </summary>
    private sealed class TableWriter((long Rows, long Touches) estimate)
    {
        internal TouchInterner Interner { get; } = new();

        // Row lengths while parsing; turned into row offsets (one more slot) at the end.
        internal int[] Lengths { get; private set; } = LargeArrays.Allocate<int>(Capacity(estimate.Rows) + 1);

        internal int[] Touches { get; private set; } = LargeArrays.Allocate<int>(Capacity(estimate.Touches));

        internal long[] Conversions { get; private set; } = LargeArrays.Allocate<long>(Capacity(estimate.Rows));

        internal double[] Values { get; private set; } = LargeArrays.Allocate<double>(Capacity(estimate.Rows));

        internal long[] Nulls { get; private set; } = LargeArrays.Allocate<long>(Capacity(estimate.Rows));

        /// <summary>Where the next reserved stretch begins.</summary>
        internal int RowCursor { get; private set; }

        internal int TouchCursor { get; private set; }

        internal bool Fits(int rows, long touches) => RowCursor + (long)rows <= Conversions.Length && TouchCursor + touches <= Touches.Length;

        /// <summary>Reserves the next stretch (the caller checked <see cref="Fits"/>); returns where it begins.</summary>
        internal (int Row, int Touch) Reserve(int rows, int touches)
        {
            var at = (RowCursor, TouchCursor);
            RowCursor += rows;
            TouchCursor += touches;
            return at;
        }

        /// <summary>Makes room for at least this much more (no parser may be running).</summary>
        internal void Grow(int rows, long touches)
        {
            var rowCapacity = Capacity(Math.Max(RowCursor + (long)rows, Conversions.Length * 3L / 2));
            var touchCapacity = Capacity(Math.Max(TouchCursor + touches, Touches.Length * 3L / 2));
            Lengths = Resized(Lengths, rowCapacity + 1, RowCursor);
            Conversions = Resized(Conversions, rowCapacity, RowCursor);
            Values = Resized(Values, rowCapacity, RowCursor);
            Nulls = Resized(Nulls, rowCapacity, RowCursor);
            Touches = Resized(Touches, touchCapacity, TouchCursor);
        }

        /// <summary>The table, once every block is parsed (<paramref name="parts"/> in file order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal AttributionTable Table(IReadOnlyList<RowParser> parts, bool hasValue)
        {
            int rows = 0, touches = 0;
            foreach (var part in parts)
            {
                if (part.FirstRow != rows)
                {
                    Array.Copy(Lengths, part.FirstRow, Lengths, rows, part.Rows);
                    Array.Copy(Conversions, part.FirstRow, Conversions, rows, part.Rows);
                    Array.Copy(Values, part.FirstRow, Values, rows, part.Rows);
                    Array.Copy(Nulls, part.FirstRow, Nulls, rows, part.Rows);
                }

                if (part.FirstTouch != touches)
                {
                    Array.Copy(Touches, part.FirstTouch, Touches, touches, part.Touches);
                }

                rows += part.Rows;
                touches += part.Touches;
            }

            var offsets = Lengths;
            var sum = 0;
            for (var r = 0; r < rows; r++)
            {
                var length = offsets[r];
                offsets[r] = sum;
                sum += length;
            }

            offsets[rows] = sum;
            return new AttributionTable(NumberInOrder(touches), offsets, Touches, Conversions, Values, Nulls, rows, hasValue);
        }

        /// <summary>
        /// Renumbers the channels in order of first appearance in the table (the parsers met them in no fixed order);
        /// names only met in rejected rows come last, by name.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private string[] NumberInOrder(int touches)
        {
            var names = Interner.Names;
            var order = new int[names.Count];
            Array.Fill(order, -1);
            var next = 0;
            for (var i = 0; i < touches && next < names.Count; i++)
            {
                if (order[Touches[i]] < 0)
                {
                    order[Touches[i]] = next++;
                }
            }

            foreach (var id in Enumerable.Range(0, names.Count).Where(id => order[id] < 0).OrderBy(id => names[id], StringComparer.Ordinal))
            {
                order[id] = next++;
            }

            var ordered = new string[names.Count];
            var identity = true;
            for (var id = 0; id < order.Length; id++)
            {
                ordered[order[id]] = names[id];
                identity &= order[id] == id;
            }

            if (!identity)
            {
                for (var i = 0; i < touches; i++)
                {
                    Touches[i] = order[Touches[i]];
                }
            }

            return ordered;
        }

        private static int Capacity(long wanted) =>
            wanted < Array.MaxLength ? (int)Math.Max(16, wanted) : throw new InvalidOperationException("The path table has too many rows or touches to hold in memory.");

        private static T[] Resized<T>(T[] array, int size, int used)
            where T : unmanaged
        {
            var larger = LargeArrays.Allocate<T>(size);
            Array.Copy(array, larger, used);
            return larger;
        }
    }

    /// <summary>
    /// The table's arrays: uninitialised (the parsers write every slot that is kept), pinned, and on Linux advised to be
    /// backed by 2 MB pages (<c>madvise(MADV_HUGEPAGE)</c>, which transparent huge pages honour in their common
    /// "madvise" mode). Each 4 KB page of fresh memory costs a page fault on its first write, about 9 µs each on the
    /// benchmark's virtual machine: the 70 MB of a million-row table took 17,500 faults, about 0.15 s of CPU in a fresh
    /// process (16 % of reading it); as 2 MB pages, a few dozen, and fewer TLB misses while the parsers write. Elsewhere, or
    /// where the call is unavailable, they are ordinary arrays.
    /// </summary>
    private static class LargeArrays
    {
        private const int HugePageAdvice = 14;
        private const long Smallest = 4 << 20;
        private static bool _unavailable;

        internal static T[] Allocate<T>(int length)
            where T : unmanaged
        {
            var array = GC.AllocateUninitializedArray<T>(length, pinned: true);
            var bytes = (long)length * Unsafe.SizeOf<T>();
            if (OperatingSystem.IsLinux() && !_unavailable && bytes >= Smallest)
            {
                // Whole 4 KB pages inside the array; the kernel backs the 2 MB-aligned stretches of them with huge pages.
                var start = (long)Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
                var from = (start + 4095) & ~4095L;
                var to = (start + bytes) & ~4095L;
                try
                {
                    _ = Madvise((nint)from, (nuint)(to - from), HugePageAdvice);
                }
                catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
                {
                    _unavailable = true;
                }
            }

            return array;
        }

        [DllImport("libc", EntryPoint = "madvise")]
        private static extern int Madvise(nint address, nuint length, int advice);
    }
}
