namespace Pretzel.Ingest.Channels;

/// <summary>
/// The conditions of a channel rule: every given field condition must hold (AND), and when
/// <see cref="Any"/> is not empty at least one of its conditions must hold too (OR).
/// A condition with nothing in it always holds.
/// </summary>
internal sealed class ChannelCondition
{
    public ValueMatcher? Source { get; init; }

    public ValueMatcher? Medium { get; init; }

    public ValueMatcher? Campaign { get; init; }

    /// <summary>The source must belong to one of these categories (e.g. <c>search</c>).</summary>
    public IReadOnlyList<string> SourceCategories { get; init; } = [];

    public IReadOnlyList<ChannelCondition> Any { get; init; } = [];

    public bool IsMatch(string? source, string? medium, string? campaign, SourceCategories categories)
    {
        if (Source is not null && !Source.IsMatch(source))
            return false;
        if (Medium is not null && !Medium.IsMatch(medium))
            return false;
        if (Campaign is not null && !Campaign.IsMatch(campaign))
            return false;
        if (SourceCategories.Count > 0 && !InAnyCategory(source, categories))
            return false;
        if (Any.Count == 0)
            return true;
        foreach (var alternative in Any)
        {
            if (alternative.IsMatch(source, medium, campaign, categories))
                return true;
        }
        return false;
    }

    private bool InAnyCategory(string? source, SourceCategories categories)
    {
        foreach (var category in SourceCategories)
        {
            if (categories.Contains(category, source))
                return true;
        }
        return false;
    }
}
