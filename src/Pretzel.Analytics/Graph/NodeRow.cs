namespace Pretzel.Analytics.Graph;

/// <summary>
/// One transient state of a <see cref="MarkovChain"/> (a touch state, or <c>(start)</c>). <c>Visits</c>: times the
/// state was entered, repeats counted. <c>Journeys</c>: journeys that entered it at least once. <c>ExitRate</c>: share
/// of the transitions out of it that go to <c>(null)</c> (0 when nothing leaves it). <c>ConversionProbability</c>: the
/// exact probability of being absorbed in <c>(conversion)</c> from this state.
/// </summary>
public sealed record NodeRow(string Node, long Visits, long Journeys, double ExitRate, double ConversionProbability)
{
    /// <summary>Column names, in order, as the CLI and the API print them.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["node", "visits", "journeys", "exit_rate", "conversion_probability"];

    /// <summary>The row as values aligned with <see cref="Columns"/>.</summary>
    public object?[] Values() => [Node, Visits, Journeys, ExitRate, ConversionProbability];
}
