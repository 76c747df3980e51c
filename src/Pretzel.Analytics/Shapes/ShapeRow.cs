namespace Pretzel.Analytics.Shapes;

/// <summary>
/// The shapes of one group's journeys (<c>all</c>, or a first-touch channel). <c>Journeys</c>: people with at
/// least one stage event. Each trait column is the share (0..1, 6 decimals) of those journeys with the trait;
/// <c>PretzelIndex</c> is the share of journeys that are not linear. Shares are null for a group without journeys.
/// </summary>
public sealed record ShapeRow(
    string Group,
    long Journeys,
    double? Linear,
    double? Skips,
    double? GoesBack,
    double? Loops,
    double? ReturnsAfterGap,
    double? EntersMidFunnel,
    double? Refused,
    double? PretzelIndex)
{
    /// <summary>The group of every journey, and the last row of a breakdown.</summary>
    public const string AllGroup = "all";

    /// <summary>The first-touch group of a person with no event with a channel.</summary>
    public const string NoChannel = "(none)";

    /// <summary>Column names, in order, as the CLI and the API print them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["group", "journeys", "linear", "skips", "goes_back", "loops", "returns_after_gap", "enters_mid_funnel", "refused", "pretzel_index"];

    /// <summary>The row as values aligned with <see cref="Columns"/>.</summary>
    public object?[] Values() => [Group, Journeys, Linear, Skips, GoesBack, Loops, ReturnsAfterGap, EntersMidFunnel, Refused, PretzelIndex];
}
