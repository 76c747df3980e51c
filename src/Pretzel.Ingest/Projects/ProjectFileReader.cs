using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pretzel.Ingest.Projects;

/// <summary>
/// Reads a project file by walking YamlDotNet's representation model rather than deserialising, so every
/// error can name the line and the key path, and an unknown key (a typo) is an error rather than ignored.
/// </summary>
internal sealed partial class ProjectFileReader(string sourceName)
{
    private static readonly string[] RootKeys = ["time_zone", "conversion", "channels", "aarrr", "segments"];
    private static readonly string[] ConversionKeys = ["events"];

    public ProjectSettings Read(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ProjectSettingsException("project.syntax", sourceName, LineOf(ex.Start), null, $"invalid YAML: {Describe(ex)}", ex);
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
            return ProjectSettings.Default;
        if (stream.Documents.Count > 1)
            Fail("project.syntax", stream.Documents[1].RootNode, null, "expected one YAML document, found several");

        var root = Mapping(stream.Documents[0].RootNode, "(root)");
        var defaults = ProjectSettings.Default;
        string timeZone = defaults.TimeZone;
        IReadOnlyList<string> conversionEvents = defaults.ConversionEvents;
        var channels = defaults.Channels;
        var aarrr = defaults.Aarrr;
        var segments = defaults.Segments;
        foreach (var (key, value) in Entries(root, null, RootKeys))
        {
            switch (key)
            {
                case "time_zone": timeZone = ReadTimeZone(value); break;
                case "conversion": conversionEvents = ReadConversion(value); break;
                case "aarrr": aarrr = ReadAarrr(value); break;
                case "segments": segments = ReadSegments(value); break;
                default: channels = ReadChannels(value, "channels"); break;
            }
        }
        return new ProjectSettings { TimeZone = timeZone, ConversionEvents = conversionEvents, Channels = channels, Aarrr = aarrr, Segments = segments };
    }

    private string ReadTimeZone(YamlNode node)
    {
        var id = Scalar(node, "time_zone");
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id).Id;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw Error("project.invalid_time_zone", node, "time_zone",
                $"unknown time zone '{id}'; use an IANA name such as 'Europe/Berlin' or 'UTC'", ex);
        }
    }

    private List<string> ReadConversion(YamlNode node)
    {
        const string path = "conversion";
        var events = (List<string>?)null;
        foreach (var (_, value) in Entries(Mapping(node, path), path, ConversionKeys))
        {
            events = [.. ScalarList(value, $"{path}.events").Distinct(StringComparer.Ordinal)];
            if (events.Count == 0)
                Fail("project.invalid_value", value, $"{path}.events", "name at least one conversion event");
        }
        return events ?? [.. ProjectSettings.Default.ConversionEvents];
    }

    // ---- helpers: every failure names the line and the key path ----

    /// <summary>The entries of a mapping, rejecting keys not in <paramref name="allowed"/> and duplicates.</summary>
    private List<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string? path, IReadOnlyList<string> allowed)
    {
        var entries = new List<(string, YamlNode)>(mapping.Children.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : "";
            var keyPath = path is null ? key : $"{path}.{key}";
            if (!allowed.Contains(key))
            {
                var hint = Closest(key, allowed) is { } near ? $"did you mean '{near}'?" : $"expected one of {string.Join(", ", allowed)}";
                Fail("project.unknown_key", keyNode, keyPath, $"unknown key; {hint}");
            }
            if (!seen.Add(key))
                Fail("project.invalid_value", keyNode, keyPath, "key given twice");
            entries.Add((key, value));
        }
        return entries;
    }

    private YamlMappingNode Mapping(YamlNode node, string path) =>
        node as YamlMappingNode ?? throw Error("project.invalid_value", node, path, $"expected a mapping (key: value lines), found {Kind(node)}");

    private string Scalar(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
            throw Error("project.invalid_value", node, path, $"expected a single value, found {Kind(node)}");
        if (IsNull(scalar) || string.IsNullOrWhiteSpace(scalar.Value))
            Fail("project.invalid_value", node, path, "expected a value, found nothing");
        return scalar.Value!.Trim();
    }

    private bool Boolean(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (bool.TryParse(text, out var value))
            return value;
        throw Error("project.invalid_value", node, path, $"expected true or false, found '{text}'");
    }

    /// <summary>A list of values; a single value is read as a list of one.</summary>
    private List<string> ScalarList(YamlNode node, string path)
    {
        if (node is YamlScalarNode)
            return [Scalar(node, path)];
        if (node is not YamlSequenceNode sequence)
            throw Error("project.invalid_value", node, path, $"expected a list, found {Kind(node)}");
        var values = new List<string>(sequence.Children.Count);
        for (int i = 0; i < sequence.Children.Count; i++)
            values.Add(Scalar(sequence.Children[i], $"{path}[{i}]"));
        return values;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    [DoesNotReturn]
    private void Fail(string code, YamlNode node, string? path, string detail) => throw Error(code, node, path, detail);

    private ProjectSettingsException Error(string code, YamlNode node, string? path, string detail, Exception? inner = null) =>
        new(code, sourceName, LineOf(node.Start), path, detail, inner);

    private static int? LineOf(Mark mark) => mark.Line > 0 ? checked((int)mark.Line) : null;

    private static string Describe(YamlException ex)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the line is already in our prefix.
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }

    private static string? Closest(string key, IReadOnlyList<string> allowed)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (var candidate in allowed)
        {
            int distance = EditDistance(key.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
