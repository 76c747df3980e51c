using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pretzel.Analytics.Attribution;

// Every removal at once, by block Gauss–Seidel.
internal sealed partial class MarkovSystem
{
    /// <summary>
    /// The probability of converting from <c>(start)</c> for each of <paramref name="columns"/>: −1 the unchanged chain,
    /// else the chain without that channel (at most 64 columns). The unknowns form a matrix x[state, column], a row of
    /// vectors per state; a sweep walks the transitions once and updates every column of a state with vector
    /// multiply-adds kept in registers, then zeroes the columns of the channels the state contains (a bit mask per
    /// state), until no value moves by more than <see cref="MarkovRemovalSolver.Tolerance"/>. The states are swept in
    /// groups that read the same rows (<see cref="SweepOrder"/>).
    /// <para>
    /// Gauss–Seidel converges because every state of an absorbing chain leaks, so each column's <c>I − Q</c> is a
    /// nonsingular M-matrix; the columns never mix, so each converges as it would alone. On the benchmark's order-3 chain
    /// (7,576 states, 120,000 transitions, about 150 sweeps) one removal solved alone by the general chain took about
    /// 30 ms; the 21 columns of a chain together take 60–80 ms.
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double[] SolveBlock(int[] columns)
    {
        var n = _counts.States;
        var start = _counts.EdgeStart;
        var target = _counts.EdgeTarget;
        var lanes = Vector<double>.Count;
        var width = (columns.Length + lanes - 1) / lanes;

        // Per state, the columns it keeps: all but those of the channels it contains. Padding columns are kept.
        var columnOf = new int[_counts.Channels];
        Array.Fill(columnOf, -1);
        for (var j = 0; j < columns.Length; j++)
        {
            if (columns[j] >= 0)
            {
                columnOf[columns[j]] = j;
            }
        }

        var keep = new ulong[n];
        for (var s = 0; s < n; s++)
        {
            keep[s] = ulong.MaxValue;
            foreach (var c in Touches(s))
            {
                keep[s] &= columnOf[c] >= 0 ? ~(1UL << columnOf[c]) : ulong.MaxValue;
            }
        }

        var sweep = SweepOrder();
        var masks = LaneMasks(lanes);
        var laneBits = (1UL << lanes) - 1;

        // Three vectors of slack past the last row: a group of four reads past the end of a short row.
        var x = new Vector<double>[(n * width) + 3];
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(x);
        var (lowest, lowRound) = (double.MaxValue, 0);
        for (var round = 0; round < MarkovRemovalSolver.MaxSweeps; round++)
        {
            var moved = Vector<double>.Zero;
            foreach (var s in sweep)
            {
                var r = new Vector<double>(_r[s]);
                var edges = start[s]..start[s + 1];
                var targets = target.AsSpan(edges);
                var p = _p.AsSpan(edges);
                for (var g = 0; g < width; g += 4)
                {
                    Vector<double> a0 = r, a1 = r, a2 = r, a3 = r;
                    for (var e = 0; e < targets.Length; e++)
                    {
                        var pe = new Vector<double>(p[e]);
                        ref var row = ref Unsafe.Add(ref x0, (targets[e] * width) + g);
                        a0 = Vector.FusedMultiplyAdd(row, pe, a0);
                        a1 = Vector.FusedMultiplyAdd(Unsafe.Add(ref row, 1), pe, a1);
                        a2 = Vector.FusedMultiplyAdd(Unsafe.Add(ref row, 2), pe, a2);
                        a3 = Vector.FusedMultiplyAdd(Unsafe.Add(ref row, 3), pe, a3);
                    }

                    ref var own = ref Unsafe.Add(ref x0, (s * width) + g);
                    var bits = keep[s] >> (g * lanes);
                    Store(ref own, a0, masks[(int)(bits & laneBits)], ref moved);
                    if (g + 1 < width)
                    {
                        Store(ref Unsafe.Add(ref own, 1), a1, masks[(int)((bits >> lanes) & laneBits)], ref moved);
                    }

                    if (g + 2 < width)
                    {
                        Store(ref Unsafe.Add(ref own, 2), a2, masks[(int)((bits >> (2 * lanes)) & laneBits)], ref moved);
                    }

                    if (g + 3 < width)
                    {
                        Store(ref Unsafe.Add(ref own, 3), a3, masks[(int)((bits >> (3 * lanes)) & laneBits)], ref moved);
                    }
                }
            }

            // Converged when nothing moves by more than the rounding of a probability; or, once close, when the largest
            // move stops reaching new lows (rounding noise can keep it a few units in the last place above that).
            var most = 0.0;
            for (var i = 0; i < lanes; i++)
            {
                most = Math.Max(most, moved[i]);
            }

            if (most < lowest)
            {
                (lowest, lowRound) = (most, round);
            }

            if (most <= MarkovRemovalSolver.Tolerance || (lowest <= MarkovRemovalSolver.NearTolerance && round - lowRound >= MarkovRemovalSolver.StalledSweeps))
            {
                break;
            }
        }

        var result = new double[columns.Length];
        MemoryMarshal.Cast<Vector<double>, double>(x.AsSpan(0, width))[..columns.Length].CopyTo(result);
        return result;
    }

    /// <summary>
    /// The order states are swept in: grouped by their last K − 1 touches, (start) last. A state's transitions lead to
    /// the states of its last K − 1 touches and one more, so every state of a group reads the same rows of x, which stay
    /// in the cache while the group is swept; in key order, consecutive states read different rows. (On the order-4
    /// benchmark chain, 120,000 states, x is 23 MB a chain.)
    /// </summary>
    private int[] SweepOrder()
    {
        var keys = _counts.Keys;
        var shift = 16 * (_counts.Order - 1);
        var suffix = shift == 0 ? 0 : (1UL << shift) - 1;
        var order = new int[keys.Length];
        var grouped = new ulong[keys.Length];
        for (var s = 0; s < keys.Length; s++)
        {
            order[s] = s;
            grouped[s] = s == 0 ? ulong.MaxValue : ((keys[s] & suffix) << 16) | (keys[s] >> shift);
        }

        Array.Sort(grouped, order);
        return order;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref Vector<double> own, Vector<double> value, Vector<double> keep, ref Vector<double> moved)
    {
        value &= keep;
        moved = Vector.Max(moved, Vector.Abs(value - own));
        own = value;
    }

    /// <summary>For every combination of lanes, the vector with all bits set in those lanes.</summary>
    private static Vector<double>[] LaneMasks(int lanes)
    {
        var masks = new Vector<double>[1 << lanes];
        var bits = new long[lanes];
        for (var i = 0; i < masks.Length; i++)
        {
            for (var l = 0; l < lanes; l++)
            {
                bits[l] = ((i >> l) & 1) != 0 ? -1 : 0;
            }

            masks[i] = Vector.AsVectorDouble(new Vector<long>(bits));
        }

        return masks;
    }
}
