namespace Pretzel.Analytics.Attribution;

/// <summary>
/// How <see cref="MarkovAttribution"/> counts and solves its chains. The defaults suit every table; tests lower the
/// limits to take small tables down every path (ranges merged, the lookup counter, block Gauss–Seidel).
/// </summary>
internal sealed record MarkovTuning
{
    public static MarkovTuning Default { get; } = new();

    /// <summary>Ranges counted in parallel, at most (default: the processor count).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Fewest rows worth a range of their own (default <see cref="MarkovCounts.RowsPerWorker"/>).</summary>
    public int RowsPerWorker { get; init; } = MarkovCounts.RowsPerWorker;

    /// <summary>Largest dense (state id × channel) table of the arithmetic counter; above it, the lookup counter (default <see cref="MarkovCounts.DenseSlots"/>).</summary>
    public long DenseSlots { get; init; } = MarkovCounts.DenseSlots;

    /// <summary>At order 2 and up, chains of up to this many states are solved directly, larger ones by block Gauss–Seidel (default <see cref="MarkovRemovalSolver.DirectStates"/>).</summary>
    public int DirectStates { get; init; } = MarkovRemovalSolver.DirectStates;
}
