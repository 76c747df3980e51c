namespace Pretzel.Analytics.Graph;

/// <summary>
/// A touch state where prospects are lost (see <see cref="MarkovChain.BlackHoles"/>). <c>Lost</c>: journeys that ended in
/// nothing right after it (its transitions to <c>(null)</c>). <c>TransitionsOut</c>: all transitions out of it.
/// <c>ExitRate</c>: <c>Lost / TransitionsOut</c>. <c>AverageExitRate</c>: the same over all touch states together.
/// <c>ConversionIfAverage</c>: the chain's conversion probability from <c>(start)</c> if this state's exit rate were the
/// average; <c>Uplift</c>: that minus the current conversion probability (0 for states already at or below average).
/// </summary>
public sealed record BlackHoleRow(
    int Rank,
    string Node,
    long Lost,
    long TransitionsOut,
    double ExitRate,
    double AverageExitRate,
    double ConversionIfAverage,
    double Uplift,
    string Explanation)
{
    /// <summary>Column names, in order, as the CLI and the API print them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["rank", "node", "lost", "transitions_out", "exit_rate", "average_exit_rate", "conversion_if_average", "uplift", "explanation"];

    /// <summary>The row as values aligned with <see cref="Columns"/>.</summary>
    public object?[] Values() => [Rank, Node, Lost, TransitionsOut, ExitRate, AverageExitRate, ConversionIfAverage, Uplift, Explanation];
}
