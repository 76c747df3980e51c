using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// Narrows any report to some of the data, as the dashboard's filters do (docs/dashboard.md, "Filters"):
/// <list type="bullet">
/// <item><see cref="Since"/>: only events from that day (or time, UTC) on, as if the data began then;</item>
/// <item><see cref="Channel"/>: only the people with a touch on that channel (from <see cref="Since"/> on), with all their
/// events, and only that channel's ad costs;</item>
/// <item><see cref="Segment"/>: only the people of one customer segment, as of the last event: <c>rfm:NAME</c> (an RFM
/// segment such as <c>rfm:Champions</c>), <c>abc_xyz:CELL</c> (such as <c>abc_xyz:AX</c>), or the name of a segment of the
/// project file.</item>
/// </list>
/// The end of the range stays each report's own <c>to</c>. A report runs unchanged over the narrowed store (a
/// <see cref="PeopleSubsetStore"/>).
/// </summary>
public sealed record ReportScope
{
    public string? Since { get; init; }

    public string? Channel { get; init; }

    public string? Segment { get; init; }

    /// <summary>The project file's custom segments (name → SQL condition over events), which <see cref="Segment"/> may name.</summary>
    public IReadOnlyDictionary<string, string>? Custom { get; init; }

    /// <summary>Whether the scope narrows nothing.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Since) && string.IsNullOrEmpty(Channel) && string.IsNullOrEmpty(Segment);

    /// <summary>The start, parsed (null when none); a bad value throws <see cref="PathException"/> naming <c>since</c>.</summary>
    public DateTime? SinceTime => string.IsNullOrEmpty(Since) ? null : ReportArguments.Time(Since, "since");

    /// <summary>Throws <see cref="PathException"/> naming the first value that cannot be used.</summary>
    public void Check()
    {
        _ = SinceTime;
        if (!string.IsNullOrEmpty(Segment))
        {
            _ = Resolve(Segment);
        }
    }

    /// <summary>The store narrowed to this scope, or <paramref name="store"/> itself when the scope is empty.</summary>
    public async Task<IEventStore> ApplyAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Check();
        if (IsEmpty)
        {
            return store;
        }

        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var since = SinceTime;
        var sinceMicros = since is { } start ? EventTime.ToMicros(start) : long.MinValue;
        var keep = new bool[columns.PersonCount];
        Array.Fill(keep, true);
        if (!string.IsNullOrEmpty(Segment))
        {
            var (customName, by, label) = Resolve(Segment);
            var assignment = await SegmentedReport.AssignAsync(store, columns, customName, by, Custom, cancellationToken).ConfigureAwait(false);
            for (var p = 0; p < keep.Length; p++)
            {
                keep[p] = assignment.SegmentOf(p) == label;
            }
        }

        if (!string.IsNullOrEmpty(Channel))
        {
            var code = columns.Channel.CodeOf(Channel);
            for (var p = 0; p < keep.Length; p++)
            {
                if (keep[p])
                {
                    var touched = false;
                    for (var e = columns.PersonStart[p]; e < columns.PersonStart[p + 1] && !touched; e++)
                    {
                        touched = code >= 0 && columns.Channel.Codes[e] == code && columns.Micros[e] >= sinceMicros;
                    }

                    keep[p] = touched;
                }
            }
        }

        var people = new List<int>();
        for (var p = 0; p < keep.Length; p++)
        {
            if (keep[p])
            {
                people.Add(p);
            }
        }

        return new PeopleSubsetStore(store, columns, people, since, string.IsNullOrEmpty(Channel) ? null : Channel);
    }

    // segment → (custom segment name or null, the --by it is a group of, the group's label).
    private (string? CustomName, string By, string Label) Resolve(string segment)
    {
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? null : segment[..colon];
        var label = colon < 0 ? segment : segment[(colon + 1)..];
        if (kind == SegmentAssignment.Rfm && RfmSegments.All.Contains(label))
        {
            return (null, "segment:rfm", label);
        }

        if (kind == SegmentAssignment.AbcXyzName && label.Length == 2 && "ABC".Contains(label[0], StringComparison.Ordinal) && "XYZ".Contains(label[1], StringComparison.Ordinal))
        {
            return (null, "segment:abc_xyz", label);
        }

        if (kind is null && Custom is not null && Custom.ContainsKey(segment))
        {
            return (segment, "segment:" + segment, segment);
        }

        var custom = Custom is { Count: > 0 } ? $", or a segment of the project file ({string.Join(", ", Custom.Keys.Order(StringComparer.Ordinal))})" : "";
        throw new PathException($"segment '{segment}': expected rfm:NAME ({string.Join(", ", RfmSegments.All)}), abc_xyz:CELL (AX … CZ){custom}");
    }
}
