namespace Pretzel.Analytics.Graph;

/// <summary>
/// One edge of a <see cref="MarkovChain"/>: <c>Transitions</c> journeys (weighted by the path table's counts) went
/// from <c>From</c> straight to <c>To</c>; <c>Probability</c> is their share of all transitions out of <c>From</c>.
/// </summary>
public sealed record TransitionRow(string From, string To, long Transitions, double Probability)
{
    /// <summary>Column names, in order, as the CLI and the API print them.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["from", "to", "transitions", "probability"];

    /// <summary>The row as values aligned with <see cref="Columns"/>.</summary>
    public object?[] Values() => [From, To, Transitions, Probability];
}
