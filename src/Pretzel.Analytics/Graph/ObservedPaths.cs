using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Graph;

/// <summary>
/// The observed journeys of a path table by exact touch sequence, for the few routes <see cref="MarkovChain.BrightPaths"/>
/// returns. Nothing is keyed by touch lists while the chain is counted: the table is kept with a 64-bit hash of each
/// row's touches (0 for rows without journeys), and a lookup scans those hashes once for all routes asked about,
/// comparing the touches (ordinal) of the rows whose hash matches, so a hash collision never counts a wrong row.
/// </summary>
internal sealed class ObservedPaths
{
    internal const ulong Seed = 0xCBF2_9CE4_8422_2325;
    private const ulong Prime = 0x9E37_79B9_7F4A_7C15;

    private const ulong NullTouch = 0x5DEE_CE66_D1CE_4E5B;

    private readonly PathRow[] _rows;
    private readonly ulong[] _hashes;

    /// <summary>The rows and the hashes of their touches (see <see cref="Step"/>).</summary>
    internal ObservedPaths(PathRow[] rows, ulong[] hashes)
    {
        _rows = rows;
        _hashes = hashes;
    }

    /// <summary>The hash of a touch sequence after one more touch, given by its <see cref="TouchHash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Step(ulong hash, ulong touch) => (BitOperations.RotateLeft(hash, 23) ^ touch) * Prime;

    /// <summary>A hash of a touch's characters, eight bytes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong TouchHash(string? touch)
    {
        if (touch is null)
        {
            return NullTouch;
        }

        var bytes = MemoryMarshal.AsBytes(touch.AsSpan());
        var hash = (ulong)bytes.Length * Prime;
        if (bytes.Length < 8)
        {
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * Prime;
            }

            return hash;
        }

        var last = bytes.Length - 8;
        for (var i = 0; i < last; i += 8)
        {
            hash = (BitOperations.RotateLeft(hash, 29) ^ MemoryMarshal.Read<ulong>(bytes[i..])) * Prime;
        }

        return (BitOperations.RotateLeft(hash, 29) ^ MemoryMarshal.Read<ulong>(bytes[last..])) * Prime;
    }

    /// <summary>Conversions and nulls of the rows whose touches are exactly each route (zero for a route never observed).</summary>
    internal (long Conversions, long Nulls)[] Lookup(IReadOnlyList<string[]> routes)
    {
        var result = new (long Conversions, long Nulls)[routes.Count];
        var wanted = new Dictionary<ulong, List<int>>();
        var filter = 0UL;
        for (var j = 0; j < routes.Count; j++)
        {
            var hash = Hash(routes[j]);
            if (!wanted.TryGetValue(hash, out var list))
            {
                wanted[hash] = list = [];
            }

            list.Add(j);
            filter |= 1UL << (int)(hash >> 58);
        }

        if (wanted.Count == 0)
        {
            return result;
        }

        var hashes = _hashes.AsSpan();
        for (var i = 0; i < hashes.Length; i++)
        {
            var hash = hashes[i];
            if ((filter & (1UL << (int)(hash >> 58))) == 0 || !wanted.TryGetValue(hash, out var list))
            {
                continue;
            }

            var row = _rows[i];
            foreach (var j in list)
            {
                if (TouchSequenceComparer.Instance.Equals(row.Touches, routes[j]))
                {
                    result[j] = (result[j].Conversions + row.Conversions, result[j].Nulls + row.Nulls);
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The hash of a route's touches, as the rows' were made.</summary>
    private static ulong Hash(string[] touches)
    {
        var hash = Seed;
        foreach (var touch in touches)
        {
            hash = Step(hash, TouchHash(touch));
        }

        return hash;
    }
}
