using System.Globalization;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// What <c>pretzel segments</c> answers, from text options: the RFM segments (default), the ABC/XYZ cells or custom segments
/// from SQL conditions, as a summary per segment or one row per person.
/// </summary>
public sealed record SegmentsReport : IReport
{
    /// <summary><c>rfm</c> (default) or <c>abc_xyz</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>One row per person instead of the summary.</summary>
    public bool People { get; init; }

    /// <summary>Custom segments, each <c>NAME=SQL</c> (an SQL condition over the <c>events</c> table).</summary>
    public IReadOnlyList<string>? Segment { get; init; }

    /// <summary>Purchase events, comma-separated (default <c>purchase,order_completed</c>).</summary>
    public string? PurchaseEvent { get; init; }

    /// <summary>Refund events, comma-separated, or <c>none</c> (default <c>refund</c>).</summary>
    public string? RefundEvent { get; init; }

    /// <summary>End of the analysis (default: the store's last event).</summary>
    public string? To { get; init; }

    /// <summary>ABC thresholds as cumulative revenue shares in percent, <c>A,B</c> (default <c>80,95</c>).</summary>
    public string? Abc { get; init; }

    /// <summary>XYZ thresholds as coefficients of variation, <c>X,Y</c> (default <c>0.5,1.0</c>).</summary>
    public string? Xyz { get; init; }

    /// <summary>XYZ period: <c>day</c>, <c>week</c> or <c>month</c> (default).</summary>
    public string? Period { get; init; }

    /// <summary>IANA time zone where periods start (default the project's, else UTC).</summary>
    public string? TimeZone { get; init; }

    /// <summary>The options, given the end of the analysis; throws <see cref="PathException"/> naming a bad one.</summary>
    public SegmentOptions Options(DateTime to)
    {
        var unit = ReportArguments.Period(Period, "--period");
        var zone = ReportArguments.TimeZone(TimeZone);

        var (a, b) = Pair(Abc, "--abc", 80, 95);
        var (x, y) = Pair(Xyz, "--xyz", 0.5, 1.0);
        var options = new SegmentOptions
        {
            PurchaseEvents = ReportArguments.Names(PurchaseEvent) ?? SegmentOptions.DefaultPurchaseEvents,
            RefundEvents = RefundEvent == "none" ? [] : ReportArguments.Names(RefundEvent) ?? SegmentOptions.DefaultRefundEvents,
            To = to,
            AbcA = a / 100,
            AbcB = b / 100,
            XyzX = x,
            XyzY = y,
            Period = unit,
            TimeZone = zone,
        };
        options.Validate();
        return options;
    }

    /// <summary>The custom segments of <see cref="Segment"/>; throws <see cref="PathException"/> naming a bad one.</summary>
    public IReadOnlyList<CustomSegment> CustomSegments()
    {
        var segments = (Segment ?? []).Select(CustomSegment.Parse).ToList();
        if (segments.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new PathException($"--segment {twice.Key}: given twice");
        }

        return segments;
    }

    public void Check(DateTime now)
    {
        if (Kind is not (null or SegmentAssignment.Rfm or SegmentAssignment.AbcXyzName))
        {
            throw new PathException($"--kind {Kind}: expected rfm or abc_xyz");
        }

        if (Kind is not null && Segment is { Count: > 0 })
        {
            throw new PathException("--segment gives the custom segments' summary: leave out --kind");
        }

        _ = CustomSegments();
        _ = Options(To is null ? now : ReportArguments.Time(To!, "--to"));
    }

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Check(now);
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var to = End(columns, now);
        var custom = new List<SegmentAssignment>();
        foreach (var segment in CustomSegments())
        {
            System.Collections.BitArray matches;
            try
            {
                matches = await store.MatchEventsAsync(columns, segment.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException ex)
            {
                throw new PathException($"--segment {segment.Name}: {ex.Message.Split('\n')[0]}");
            }

            custom.Add(SegmentAssignment.Custom(segment.Name, columns, matches, to));
        }

        return Run(columns, now, custom);
    }

    /// <summary>The report over event columns already read, with the custom segments already matched.</summary>
    public ReportTable Run(EventColumns columns, DateTime now, IReadOnlyList<SegmentAssignment> custom)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(custom);
        var scores = SegmentKernel.Compute(columns, Options(End(columns, now)));
        if (Segment is { Count: > 0 })
        {
            return People ? SegmentRows.CustomPeople(scores, custom, columns.PersonIds) : SegmentRows.CustomSummary(scores, custom);
        }

        var kind = Kind ?? SegmentAssignment.Rfm;
        if (People)
        {
            return SegmentRows.People(scores.Buyers, kind);
        }

        return kind == SegmentAssignment.AbcXyzName ? SegmentRows.AbcXyzSummary(scores.Buyers) : SegmentRows.RfmSummary(scores.Buyers);
    }

    private DateTime End(EventColumns columns, DateTime now) =>
        To is not null ? ReportArguments.Time(To!, "--to") : columns.Count > 0 ? EventTime.FromMicros(columns.Micros.Max()) : now;


    private static (double, double) Pair(string? text, string option, double first, double second)
    {
        if (text is null)
        {
            return (first, second);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
        {
            return (a, b);
        }

        throw new PathException($"{option} {text}: expected two numbers, comma-separated, e.g. {first.ToString(CultureInfo.InvariantCulture)},{second.ToString(CultureInfo.InvariantCulture)}");
    }
}
