namespace Pretzel.Analytics.Funnels;

/// <summary>
/// One step of a funnel. <c>Entered</c>: people (or journeys) who reached the step. <c>Dropped</c> and
/// <c>StillInWindow</c>: those at this step who did not go on to the next, split by whether their window
/// had closed at the end of the analysis (null on the last step). <c>EnteredHere</c>: open funnels only,
/// those who reached the step without coming from the previous one. Times to convert are from the
/// first step's event, over people who reached this step from the first step (null on step 1).
/// </summary>
public sealed record FunnelRow(
    int Step,
    string Name,
    long Entered,
    double? ConversionFromPrevious,
    double? ConversionFromStart,
    long? Dropped,
    long? StillInWindow,
    long? EnteredHere,
    double? MedianSecondsToConvert,
    double? P90SecondsToConvert)
{
    /// <summary>Column names, in order, as the CLI and the API print them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "step", "name", "entered", "conversion_from_previous", "conversion_from_start", "dropped", "still_in_window",
        "entered_here", "median_seconds_to_convert", "p90_seconds_to_convert",
    ];

    /// <summary>With <c>--by</c>: the group's value (e.g. the channel); null otherwise.</summary>
    public string? Group { get; init; }

    /// <summary>The columns with the breakdown column <paramref name="by"/> first, when given.</summary>
    public static IReadOnlyList<string> ColumnsBy(string? by) => by is null ? Columns : [by, .. Columns];

    /// <summary>The row's values aligned with <see cref="ColumnsBy"/>.</summary>
    public object?[] ValuesBy(string? by) => by is null ? Values() : [Group, .. Values()];

    /// <summary>The row as values aligned with <see cref="Columns"/>.</summary>
    public object?[] Values() =>
        [Step, Name, Entered, ConversionFromPrevious, ConversionFromStart, Dropped, StillInWindow, EnteredHere, MedianSecondsToConvert, P90SecondsToConvert];
}
