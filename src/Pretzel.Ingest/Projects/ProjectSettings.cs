using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Projects;

/// <summary>
/// Settings of one project, read from a YAML project file (<c>pretzel.yaml</c>): reporting time zone,
/// the conversion rule and the channel rules. Every setting has a default. docs/project-file.md describes the file.
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

    /// <summary>The events and channels behind each AARRR metric (<c>aarrr:</c>). Default <see cref="AarrrSettings.Default"/>.</summary>
    public AarrrSettings Aarrr { get; init; } = AarrrSettings.Default;

    /// <summary>Custom segments (<c>segments:</c>): name → SQL condition over events; a person is in a segment when any of their events matches.</summary>
    public IReadOnlyDictionary<string, string> Segments { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Reads the project file at <paramref name="path"/>.
    /// Throws <see cref="ProjectSettingsException"/> naming the file, line and key when it cannot be read or is invalid.
    /// </summary>
    public static ProjectSettings Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProjectSettingsException("project.file", path, null, null, $"cannot read the project file: {ex.Message}", ex);
        }
        return Parse(yaml, path);
    }

    /// <summary>
    /// Reads project settings from YAML text; <paramref name="sourceName"/> (usually the file name) starts every
    /// error message. An empty document gives <see cref="Default"/>.
    /// Throws <see cref="ProjectSettingsException"/> on invalid YAML, unknown keys and invalid values.
    /// </summary>
    public static ProjectSettings Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new ProjectFileReader(sourceName).Read(yaml);
    }
}
