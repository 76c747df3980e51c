namespace Pretzel.Ingest.Projects;

/// <summary>
/// A project file that cannot be used. The message names the file, the line and the offending key or value,
/// e.g. <c>pretzel.yaml line 7: channels.rules[2].medium: invalid regular expression '((': …</c>.
/// </summary>
public sealed class ProjectSettingsException : Exception
{
    public ProjectSettingsException()
    {
    }

    public ProjectSettingsException(string message)
        : base(message)
    {
    }

    public ProjectSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ProjectSettingsException(string code, string sourceName, int? line, string? key, string detail, Exception? innerException = null)
        : base(Format(sourceName, line, key, detail), innerException)
    {
        Code = code;
        SourceName = sourceName;
        Line = line;
        Key = key;
    }

    /// <summary>
    /// Stable error code: <c>project.file</c>, <c>project.syntax</c>, <c>project.unknown_key</c>,
    /// <c>project.invalid_value</c>, <c>project.invalid_regex</c>, <c>project.invalid_time_zone</c>.
    /// </summary>
    public string Code { get; } = "project.invalid_value";

    /// <summary>The file (or the name given to <see cref="ProjectSettings.Parse"/>).</summary>
    public string? SourceName { get; }

    /// <summary>1-based line of the offending key or value, when known.</summary>
    public int? Line { get; }

    /// <summary>Path of the offending key, e.g. <c>channels.rules[2].medium</c>, when known.</summary>
    public string? Key { get; }

    private static string Format(string sourceName, int? line, string? key, string detail)
    {
        var where = line is { } l ? $"{sourceName} line {l}" : sourceName;
        return key is null ? $"{where}: {detail}" : $"{where}: {key}: {detail}";
    }
}
