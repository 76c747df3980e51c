namespace Pretzel.Analytics.Stages;

/// <summary>
/// One stage of a model over the people. <c>Reached</c>: people who ever were in it. <c>Current</c>: people
/// whose latest stage event is this stage. <c>ConversionFromPrevious</c>: of those who reached the previous
/// stage, the share who reached this one after it. <c>MedianSecondsInStage</c>: from first reaching this
/// stage to first reaching a later one, over those who moved on. <c>Skipped</c>: people who reached it
/// before they had reached the previous stage (they may reach that one later). <c>Regressed</c>: people who, with this as their furthest
/// stage, later had an event of an earlier stage. <c>Refused</c>: people who took the exit while this was
/// their latest stage. The exit's own row has only <c>Reached</c>.
/// </summary>
public sealed record StageRow(int Index, string Stage, long Reached, long Current, double? ConversionFromPrevious, double? MedianSecondsInStage, long? Skipped, long? Regressed, long? Refused)
{
    public static IReadOnlyList<string> Columns { get; } =
        ["index", "stage", "reached", "current", "conversion_from_previous", "median_seconds_in_stage", "skipped", "regressed", "refused"];

    public object?[] Values() => [Index, Stage, Reached, Current, ConversionFromPrevious, MedianSecondsInStage, Skipped, Regressed, Refused];
}
