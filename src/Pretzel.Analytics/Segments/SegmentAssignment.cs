using System.Collections;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Segments;

/// <summary>
/// A segmentation of the people of one set of event columns: per person index (the columns' order), the segment's label, or
/// null when the person is in none (e.g. bought nothing). What other analyses group by with <c>--by segment:NAME</c>.
/// </summary>
public sealed class SegmentAssignment
{
    /// <summary>The name of the RFM segmentation.</summary>
    public const string Rfm = "rfm";

    /// <summary>The name of the ABC/XYZ segmentation.</summary>
    public const string AbcXyzName = "abc_xyz";

    private readonly string?[] _labels;

    internal SegmentAssignment(string name, string?[] labels)
    {
        Name = name;
        _labels = labels;
    }

    /// <summary><c>rfm</c>, <c>abc_xyz</c> or a custom segment's name.</summary>
    public string Name { get; }

    public int PersonCount => _labels.Length;

    /// <summary>The segment of person <paramref name="personIndex"/>, or null.</summary>
    public string? SegmentOf(int personIndex) => _labels[personIndex];

    /// <summary>
    /// A custom segment: the people with at least one event up to <paramref name="to"/> among <paramref name="matches"/>
    /// (one bit per event in the columns' order, as <c>IEventStore.MatchEventsAsync</c> answers) are labelled
    /// <paramref name="name"/>, the others null.
    /// </summary>
    public static SegmentAssignment Custom(string name, EventColumns columns, BitArray matches, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var members = SegmentKernel.Members(columns, matches, to);
        var labels = new string?[columns.PersonCount];
        for (var p = 0; p < labels.Length; p++)
        {
            labels[p] = members[p] ? name : null;
        }

        return new SegmentAssignment(name, labels);
    }
}
