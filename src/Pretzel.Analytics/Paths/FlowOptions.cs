namespace Pretzel.Analytics.Paths;

/// <summary>Where a flow (Sankey) is anchored.</summary>
public enum FlowAnchor
{
    /// <summary>The steps after a person's first <see cref="FlowOptions.Event"/>.</summary>
    After,

    /// <summary>The steps before a person's first <see cref="FlowOptions.Event"/>, nearest first.</summary>
    Before,

    /// <summary>The steps after a person's first <see cref="FlowOptions.Event"/> up to the next <see cref="FlowOptions.Until"/>.</summary>
    Between,
}

/// <summary>
/// A flow: for every person with the anchor event, their next (or previous) steps, depth by depth. A
/// step is a touch (by <see cref="PathOptions.Touch"/>) or a conversion (by its event name).
/// </summary>
public sealed record FlowOptions
{
    public required FlowAnchor Anchor { get; init; }

    /// <summary>The anchor event's name.</summary>
    public required string Event { get; init; }

    /// <summary>With <see cref="FlowAnchor.Between"/>: the event that ends the flow.</summary>
    public string? Until { get; init; }

    /// <summary>How many steps away from the anchor.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Nodes kept per depth; the rest are merged into <c>(other)</c>.</summary>
    public int Nodes { get; init; } = 8;

    public TouchKind Touch { get; init; } = TouchKind.Channel;

    public IReadOnlyList<string> ConversionEvents { get; init; } = ["purchase", "order_completed"];

    public required DateTime To { get; init; }

    public const string Exit = "(exit)";
    public const string Start = "(start)";
    public const string Other = "(other)";

    public void Validate()
    {
        if (Depth is < 1 or > 50)
        {
            throw new PathException($"--depth {Depth}: expected 1..50");
        }

        if (Nodes < 1)
        {
            throw new PathException($"--nodes {Nodes}: must be at least 1");
        }

        if (Anchor == FlowAnchor.Between && string.IsNullOrWhiteSpace(Until))
        {
            throw new PathException("--between A,B: name both events");
        }
    }
}

/// <summary>One link of a flow: people going from one node to the next at a depth.</summary>
public sealed record FlowRow(int Depth, string From, string To, long People, double ShareOfAll)
{
    public static IReadOnlyList<string> Columns { get; } = ["depth", "from", "to", "people", "share_of_all"];

    public object?[] Values() => [Depth, From, To, People, ShareOfAll];
}
