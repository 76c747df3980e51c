using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pretzel.Ingest.Projects;

/// <summary>The <c>segments:</c> section: custom segments, each a name and a SQL condition over events.</summary>
internal sealed partial class ProjectFileReader
{
    private Dictionary<string, string> ReadSegments(YamlNode node)
    {
        const string path = "segments";
        var segments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsNull(node))
            return segments;
        foreach (var (keyNode, value) in Mapping(node, path).Children)
        {
            var name = keyNode is YamlScalarNode { Value: { } k } ? k : "";
            var keyPath = $"{path}.{name}";
            if (!SegmentName().IsMatch(name) || name is "rfm" or "abc_xyz")
                Fail("project.invalid_value", keyNode, keyPath, "a segment name is letters, digits and _ (starting with a letter), and not rfm or abc_xyz");
            if (!segments.TryAdd(name, Scalar(value, keyPath)))
                Fail("project.invalid_value", keyNode, keyPath, "segment given twice");
        }
        return segments;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex SegmentName();
}
