namespace Pretzel.Analytics.Paths;

/// <summary>
/// One row of the path table: journeys that went through the same touches, in order, and how many of
/// them ended in a conversion (with its value) or in nothing (a null journey). The currency between
/// journeys and the graph and attribution math, in ChannelAttribution's shape.
/// </summary>
public sealed record PathRow(IReadOnlyList<string> Touches, long Conversions, double ConversionValue, long Nulls)
{
    /// <summary>Journeys in this row.</summary>
    public long Journeys => Conversions + Nulls;

    /// <summary>The path as ChannelAttribution writes it: touches joined by <c> &gt; </c>.</summary>
    public string Path => string.Join(" > ", Touches);

    public bool Equals(PathRow? other) =>
        other is not null && Touches.SequenceEqual(other.Touches, StringComparer.Ordinal) && Conversions == other.Conversions
        && ConversionValue.Equals(other.ConversionValue) && Nulls == other.Nulls;

    public override int GetHashCode() => HashCode.Combine(Path, Conversions, ConversionValue, Nulls);
}
