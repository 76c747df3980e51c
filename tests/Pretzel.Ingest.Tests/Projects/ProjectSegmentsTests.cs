using Pretzel.Ingest.Projects;

namespace Pretzel.Ingest.Tests.Projects;

/// <summary>The project file's <c>segments:</c>: name → SQL condition, with errors naming the line and the key.</summary>
public sealed class ProjectSegmentsTests
{
    [Fact]
    public void Segments_are_read_by_name()
    {
        var settings = ProjectSettings.Parse("time_zone: UTC\nsegments:\n  emailed: \"channel = 'email'\"\n  big_spenders: revenue > 1000\n", "pretzel.yaml");
        Assert.Equal(new Dictionary<string, string> { ["emailed"] = "channel = 'email'", ["big_spenders"] = "revenue > 1000" }, settings.Segments);
        Assert.Empty(ProjectSettings.Parse("time_zone: UTC\n", "pretzel.yaml").Segments);
    }

    [Theory]
    [InlineData("segments:\n  rfm: x > 1\n", 2, "segments.rfm", "not rfm or abc_xyz")]
    [InlineData("segments:\n  9lives: x > 1\n", 2, "segments.9lives", "letters, digits and _")]
    [InlineData("segments:\n  big: [1, 2]\n", 2, "segments.big", "expected a single value")]
    [InlineData("segments:\n  big:\n", 2, "segments.big", "expected a value")]
    [InlineData("segments: everyone\n", 1, "segments", "expected a mapping")]
    public void Bad_segments_name_the_line_and_the_key(string yaml, int line, string key, string detail)
    {
        var error = Assert.Throws<ProjectSettingsException>(() => ProjectSettings.Parse(yaml, "pretzel.yaml"));
        Assert.Equal((line, key), (error.Line, error.Key));
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }
}
