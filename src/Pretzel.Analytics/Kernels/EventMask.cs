using System.Collections;
using System.Runtime.CompilerServices;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Kernels;

/// <summary>One bit per event of an <see cref="EventColumns"/>: which events match a rule.</summary>
internal sealed class EventMask
{
    private readonly ulong[] _words;

    internal EventMask(int count) => _words = new ulong[(count + 63) >> 6];

    internal bool this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (_words[i >> 6] & (1UL << (i & 63))) != 0;
    }

    /// <summary>Sets the bits of the events for which <paramref name="matches"/> holds, in parallel over 64-event words.</summary>
    internal static EventMask Where(int count, Func<int, bool> matches)
    {
        var mask = new EventMask(count);
        var words = mask._words;
        Parallel.For(0, (words.Length + 4095) / 4096, block =>
        {
            var last = Math.Min(words.Length, (block + 1) * 4096);
            for (var w = block * 4096; w < last; w++)
            {
                ulong word = 0;
                var end = Math.Min(count, (w + 1) * 64);
                for (var i = w * 64; i < end; i++)
                {
                    if (matches(i))
                    {
                        word |= 1UL << (i & 63);
                    }
                }

                words[w] = word;
            }
        });
        return mask;
    }

    /// <summary>This mask with only the events also set in <paramref name="other"/>.</summary>
    internal EventMask And(BitArray other)
    {
        var result = new EventMask(other.Length);
        for (var w = 0; w < _words.Length; w++)
        {
            var word = _words[w];
            var end = Math.Min(other.Length, (w + 1) * 64);
            for (var i = w * 64; i < end; i++)
            {
                if (!other[i])
                {
                    word &= ~(1UL << (i & 63));
                }
            }

            result._words[w] = word;
        }

        return result;
    }
}
