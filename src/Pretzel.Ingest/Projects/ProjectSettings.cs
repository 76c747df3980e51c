using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Projects;

/// <summary>
/// Settings of one project, read from a YAML project file (<c>pretzel.yaml</c>): reporting time zone,
/// the conversion rule and the channel rules. Every setting has a default.
/// </summary>
public sealed class ProjectSettings
{
    /// <summary>Defaults: UTC, conversions are <c>purchase</c> and <c>order_completed</c>, GA4-style channels.</summary>
    public static ProjectSettings Default { get; } = new();

    /// <summary>IANA time zone used for calendar buckets in reports. Default <c>UTC</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Event names that count as a conversion. Default <c>purchase</c>, <c>order_completed</c>.</summary>
    public IReadOnlyList<string> ConversionEvents { get; init; } = ["purchase", "order_completed"];

    /// <summary>Channel rules. Default <see cref="ChannelRules.Default"/>.</summary>
    public ChannelRules Channels { get; init; } = ChannelRules.Default;
}
