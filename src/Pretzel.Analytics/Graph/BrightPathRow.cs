namespace Pretzel.Analytics.Graph;

/// <summary>
/// One of the most probable simple routes from <c>(start)</c> to <c>(conversion)</c> (see
/// <see cref="MarkovChain.BrightPaths"/>). <c>Touches</c>: the route as touches (empty for journeys that converted
/// without a touch). <c>ChainProbability</c>: the product of the chain's edge probabilities along it.
/// <c>ObservedJourneys</c>: journeys of the path table whose touches are exactly the route (converted or not).
/// <c>ConversionRate</c>: their share that converted (null when none). <c>Lift</c>: that rate divided by the conversion
/// rate of all journeys (null when the route was never observed or nothing converted).
/// </summary>
public sealed record BrightPathRow(int Rank, IReadOnlyList<string> Touches, double ChainProbability, long ObservedJourneys, double? ConversionRate, double? Lift)
{
    /// <summary>Column names, in order, as the CLI and the API print them.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["rank", "route", "steps", "chain_probability", "observed_journeys", "conversion_rate", "lift"];

    /// <summary>The route as touches joined by <c> &gt; </c>.</summary>
    public string Route => string.Join(" > ", Touches);

    /// <summary>The row as values aligned with <see cref="Columns"/>.</summary>
    public object?[] Values() => [Rank, Route, Touches.Count, ChainProbability, ObservedJourneys, ConversionRate, Lift];

    public bool Equals(BrightPathRow? other) =>
        other is not null && Rank == other.Rank && TouchSequenceComparer.Instance.Equals(Touches, other.Touches)
        && ChainProbability.Equals(other.ChainProbability) && ObservedJourneys == other.ObservedJourneys
        && Nullable.Equals(ConversionRate, other.ConversionRate) && Nullable.Equals(Lift, other.Lift);

    public override int GetHashCode() => HashCode.Combine(Rank, Route, ChainProbability, ObservedJourneys);
}
