using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// When journeys are looked at and how they are split in time. Snapshots fall every <see cref="PredictionOptions.Step"/>
/// from midnight (UTC) of the first event's day. A snapshot's label is known once its horizon has passed, so labelled
/// snapshots end at <see cref="LabelledUntil"/> = end − horizon. Training snapshots end a horizon before the cut-off (their
/// outcomes are known at the cut-off); holdout snapshots run from the cut-off to <see cref="LabelledUntil"/> and only
/// count journeys whose first touch is at or after the cut-off. The default cut-off leaves the last quarter of the
/// labelled period (at least one horizon) to the holdout.
/// </summary>
public sealed record PredictionWindow(DateTime First, DateTime To, DateTime LabelledUntil, DateTime Cutoff, long[] TrainSnapshots, long[] HoldoutSnapshots, long[] LabelledSnapshots)
{
    /// <summary>The window of <paramref name="options"/> over data starting at <paramref name="firstMicros"/>; throws <see cref="PathException"/> when there is too little data to train and test.</summary>
    public static PredictionWindow Of(long firstMicros, PredictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var first = EventTime.FromMicros(firstMicros);
        var labelled = options.To - options.Horizon;
        if (labelled <= first + options.Step)
        {
            throw new PathException($"too little data to predict a {Days(options.Horizon)} horizon: events run from {first:yyyy-MM-dd} to {options.To:yyyy-MM-dd}; a shorter --horizon or more data is needed");
        }

        var cutoff = options.Cutoff ?? labelled - TimeSpan.FromTicks(Math.Max(options.Horizon.Ticks, (labelled - first).Ticks / 4));
        var origin = first.Date;
        var all = new List<long>();
        for (var t = origin + options.Step; t <= labelled; t += options.Step)
        {
            all.Add(EventTime.ToMicros(t));
        }

        var trainEnd = EventTime.ToMicros(cutoff - options.Horizon);
        var cut = EventTime.ToMicros(cutoff);
        var window = new PredictionWindow(first, options.To, labelled, cutoff,
            [.. all.Where(t => t <= trainEnd)], [.. all.Where(t => t >= cut)], [.. all]);
        return window;
    }

    /// <summary>Throws <see cref="PathException"/> unless both sides of the split have snapshots.</summary>
    public void RequireSplit()
    {
        if (TrainSnapshots.Length == 0 || HoldoutSnapshots.Length == 0)
        {
            throw new PathException($"--cutoff {Cutoff:yyyy-MM-dd}: leaves {(TrainSnapshots.Length == 0 ? "no training" : "no holdout")} snapshot between {First:yyyy-MM-dd} and {LabelledUntil:yyyy-MM-dd} (the last day whose horizon is observed)");
        }
    }

    private static string Days(TimeSpan t) => $"{t.TotalDays:0.##}-day";
}
