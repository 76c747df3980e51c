namespace Pretzel.Analytics.Attribution;

/// <summary>
/// Removal effects of every channel in the chains of <see cref="MarkovCounts"/>, solved from each chain's linear system
/// <c>(I − Q) x = r</c> (<see cref="MarkovSystem"/>), never simulated. Removing channel c makes every state containing
/// it send everything to <c>(null)</c>: those rows of <c>Q</c> and <c>r</c> become 0, and P₋c is the changed system's
/// solution at <c>(start)</c>.
/// <list type="bullet">
/// <item>At order 1, and at any order up to <see cref="DirectStates"/> states: exactly, as the general chain does (a
/// rank-one update of the unchanged chain's LU factors, or a re-solve; <see cref="MarkovSystem.SolveDirect"/>).</item>
/// <item>Larger chains (order 2 and up): every removal at once by block Gauss–Seidel to <see cref="Tolerance"/>
/// (<see cref="MarkovSystem.SolveBlock"/>).</item>
/// </list>
/// </summary>
internal static class MarkovRemovalSolver
{
    /// <summary>At order 2 and up, chains of up to this many states are solved directly, one LU factorisation per removal (about 3e6 multiply-adds each at the limit).</summary>
    internal const int DirectStates = 200;

    /// <summary>
    /// Block Gauss–Seidel stops when no probability moved by more than this in a sweep: about one unit in the last place
    /// of a probability near 1, so the solution is as exact as the rounding allows (the general chain stops at 1e-12).
    /// </summary>
    internal const double Tolerance = 2.5e-16;

    /// <summary>Once the largest move is below this, the sweeps also stop when it has not reached a new low for <see cref="StalledSweeps"/> sweeps.</summary>
    internal const double NearTolerance = 1e-13;

    internal const int StalledSweeps = 10;

    internal const int MaxSweeps = 100_000;

    /// <summary>Removals solved together in one block (more channels make more blocks, solved in parallel).</summary>
    internal const int BlockColumns = 32;

    /// <summary>
    /// Per chain (<see cref="MarkovCounts.ConversionChain"/>, <see cref="MarkovCounts.ValueChain"/>; the value chain only
    /// when <paramref name="withValue"/>), the removal effect of every channel by id: 1 − P₋c / P clamped to [0, 1], 0
    /// for a channel the chain does not hold (no weight through it) or when nothing converts. Chains of more than
    /// <paramref name="directStates"/> states, at order 2 and up, are solved by block Gauss–Seidel.
    /// </summary>
    internal static double[][] RemovalEffects(MarkovCounts counts, bool withValue, int directStates)
    {
        var systems = new[] { new MarkovSystem(counts, MarkovCounts.ConversionChain), withValue ? new MarkovSystem(counts, MarkovCounts.ValueChain) : null };
        var effects = new double[systems.Length][];
        for (var h = 0; h < systems.Length; h++)
        {
            effects[h] = new double[counts.Channels];
        }

        if (counts.Order == 1 || counts.States <= directStates)
        {
            var parallel = Worth(counts);
            For(systems.Length, parallel, h =>
            {
                if (systems[h] is { Converts: true } system)
                {
                    system.SolveDirect(effects[h], parallel);
                }
            });
            return effects;
        }

        // Blocks of removals over both chains; the first block of a chain also solves the unchanged chain (column −1).
        var blocks = new List<(int Chain, int[] Columns)>();
        for (var h = 0; h < systems.Length; h++)
        {
            if (systems[h] is not { Converts: true } system)
            {
                continue;
            }

            var present = Enumerable.Range(0, counts.Channels).Where(c => system.Present[c]).ToList();
            var first = Math.Min(present.Count, BlockColumns - 1);
            blocks.Add((h, [-1, .. present[..first]]));
            for (var at = first; at < present.Count; at += BlockColumns)
            {
                blocks.Add((h, [.. present[at..Math.Min(present.Count, at + BlockColumns)]]));
            }
        }

        var solved = new double[blocks.Count][];
        Parallel.For(0, blocks.Count, b => solved[b] = systems[blocks[b].Chain]!.SolveBlock(blocks[b].Columns));
        var p = new double[systems.Length];
        for (var b = 0; b < blocks.Count; b++)
        {
            if (blocks[b].Columns[0] < 0)
            {
                p[blocks[b].Chain] = solved[b][0];
            }
        }

        for (var b = 0; b < blocks.Count; b++)
        {
            var (h, columns) = blocks[b];
            for (var j = 0; j < columns.Length; j++)
            {
                if (columns[j] >= 0)
                {
                    effects[h][columns[j]] = Effect(solved[b][j], p[h]);
                }
            }
        }

        return effects;
    }

    /// <summary>
    /// Whether the direct solves are worth spreading over threads: not for a small chain (at order 1 on 20 channels,
    /// all 40 removals take under a millisecond, less than the first Parallel.For of a process costs to set up).
    /// </summary>
    internal static bool Worth(MarkovCounts counts) => (long)counts.States * counts.States * counts.Channels > 1_000_000;

    /// <summary><paramref name="body"/> for 0 … <paramref name="count"/> − 1, in parallel or in order.</summary>
    internal static void For(int count, bool parallel, Action<int> body)
    {
        if (parallel)
        {
            Parallel.For(0, count, body);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            body(i);
        }
    }

    /// <summary>1 − <paramref name="without"/> / <paramref name="p"/>, clamped to [0, 1] (removing a channel can only lower the probability; rounding aside); 0 when nothing converts.</summary>
    internal static double Effect(double without, double p) => p <= 0 ? 0 : Math.Clamp(1 - (without / p), 0, 1);
}
