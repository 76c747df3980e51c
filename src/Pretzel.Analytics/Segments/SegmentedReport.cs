using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// Any report over the event columns, once per customer segment (<c>--by segment:rfm</c> or <c>--by segment:abc_xyz</c>):
/// people are segmented as of the store's last event (docs/analyses/segments.md), the report runs over each segment's
/// people (<see cref="PeopleSubsetStore"/>), and its rows come back with the segment first. Segments are ordered by
/// name, people in none (e.g. who never bought) last as <c>(none)</c>. <c>--by segment:NAME</c> takes a custom segment of
/// <paramref name="Custom"/> (the project file's <c>segments:</c>, name → SQL condition over events): its people, then
/// everyone else as <c>(none)</c>.
/// </summary>
public sealed record SegmentedReport(IReport Inner, string By, IReadOnlyDictionary<string, string>? Custom = null) : IReport
{
    /// <summary>The values of <c>--by</c> that segment a report.</summary>
    public static IReadOnlyList<string> Values { get; } = ["segment:rfm", "segment:abc_xyz"];

    /// <summary>Whether <paramref name="by"/> asks for segments (then it must be one of <see cref="Values"/>).</summary>
    public static bool Asks(string? by) => by is not null && by.StartsWith("segment:", StringComparison.Ordinal);

    /// <summary>The group of people in no segment.</summary>
    public const string None = "(none)";

    /// <summary>The custom segment <see cref="By"/> names, or null.</summary>
    private string? CustomName => By.StartsWith("segment:", StringComparison.Ordinal) && Custom is not null && Custom.ContainsKey(By["segment:".Length..]) ? By["segment:".Length..] : null;

    public void Check(DateTime now)
    {
        if (!Values.Contains(By) && CustomName is null)
        {
            var custom = Custom is { Count: > 0 } ? $", or a segment of the project file: {string.Join(", ", Custom.Keys.Order(StringComparer.Ordinal).Select(k => "segment:" + k))}" : " (or segment:NAME for a segment under segments: in the project file)";
            throw new PathException($"--by {By}: expected {string.Join(" or ", Values)}{custom}");
        }

        Inner.Check(now);
    }

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Check(now);
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var assignment = await AssignAsync(store, columns, CustomName, By, Custom, cancellationToken).ConfigureAwait(false);
        var groups = Enumerable.Range(0, columns.PersonCount)
            .GroupBy(p => assignment.SegmentOf(p) ?? None)
            .OrderBy(g => g.Key == None)
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        IReadOnlyList<string>? header = null;
        var rows = new List<object?[]>();
        foreach (var group in groups)
        {
            using var view = new PeopleSubsetStore(store, columns, [.. group]);
            var table = await Inner.RunAsync(view, now, cancellationToken).ConfigureAwait(false);
            header ??= table.Columns;
            rows.AddRange(table.Rows.Select(r => (object?[])[group.Key, .. r]));
        }

        return new ReportTable(["segment", .. header ?? []], rows);
    }

    /// <summary>
    /// Every person of <paramref name="columns"/> (read from <paramref name="store"/>) in a segment as of the last event: the
    /// custom segment <paramref name="customName"/> of <paramref name="custom"/> when given, else RFM (<c>segment:rfm</c>) or
    /// ABC/XYZ (any other <paramref name="by"/>).
    /// </summary>
    internal static async Task<SegmentAssignment> AssignAsync(IEventStore store, EventColumns columns, string? customName, string by,
        IReadOnlyDictionary<string, string>? custom, CancellationToken cancellationToken)
    {
        var to = columns.Count > 0 ? EventTime.FromMicros(columns.Micros.Max()) : DateTime.UtcNow;
        if (customName is { } name)
        {
            System.Collections.BitArray matches;
            try
            {
                matches = await store.MatchEventsAsync(columns, custom![name], cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException ex)
            {
                throw new PathException($"segment {name} ({custom![name]}): {ex.Message.Split('\n')[0]}");
            }

            return SegmentAssignment.Custom(name, columns, matches, to);
        }

        var scores = SegmentKernel.Compute(columns, new SegmentOptions { To = to });
        return by == "segment:rfm" ? scores.Rfm() : scores.AbcXyz();
    }
}
