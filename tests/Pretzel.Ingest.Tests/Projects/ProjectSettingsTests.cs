using Pretzel.Ingest.Channels;
using Pretzel.Ingest.Projects;
using Pretzel.Ingest.Tests.Channels;

namespace Pretzel.Ingest.Tests.Projects;

public sealed class ProjectSettingsTests
{
    private static ProjectSettings Parse(string yaml) => ProjectSettings.Parse(yaml, "pretzel.yaml");

    private static ProjectSettingsException ParseError(string yaml) =>
        Assert.Throws<ProjectSettingsException>(() => Parse(yaml));

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void Parse_Empty_GivesDefaults(string yaml)
    {
        var settings = Parse(yaml);

        Assert.Equal("UTC", settings.TimeZone);
        Assert.Equal(["purchase", "order_completed"], settings.ConversionEvents);
        Assert.Same(ChannelRules.Default, settings.Channels);
    }

    [Fact]
    public void Parse_AllSettings_AreRead()
    {
        var settings = Parse("""
            time_zone: Europe/Berlin
            conversion:
              events: [purchase, signup]
            channels:
              source_categories:
                search: [mysearch.example]
            """);

        Assert.Equal("Europe/Berlin", settings.TimeZone);
        Assert.Equal(["purchase", "signup"], settings.ConversionEvents);
        Assert.Equal("organic_search", settings.Channels.Normalize(Events.Marketing(referrer: "https://www.mysearch.example/?q=1")).Channel);
        Assert.Equal("paid_search", settings.Channels.Classify("mysearch.example", "cpc", null));
        Assert.Equal("paid_search", settings.Channels.Classify("google", "cpc", null));
    }

    [Fact]
    public void Parse_CustomRules_PrecedeDefaults()
    {
        var channels = Parse("""
            channels:
              rules:
                - channel: partner_webinars
                  medium: "^webinar$"
                  source: "^partner"
                - channel: Brand Search
                  source: [google, bing]
                  campaign: "^brand"
            """).Channels;

        Assert.Equal("partner_webinars", channels.Classify("partner-acme", "webinar", null));
        Assert.Equal("event", channels.Classify("crm", "webinar", null));
        Assert.Equal("brand_search", channels.Classify("google", "cpc", "Brand-2025"));
        Assert.Equal("paid_search", channels.Classify("google", "cpc", "generic"));
        Assert.Equal("direct", channels.Normalize(Events.Marketing()).Channel);
    }

    [Fact]
    public void Parse_ReplaceDefaults_UsesOnlyTheGivenRules()
    {
        var channels = Parse("""
            channels:
              replace_defaults: true
              rules:
                - channel: ads
                  medium: "^(cpc|ppc)$"
                - channel: social
                  any:
                    - source_category: social
                    - medium: [social, sm]
            """).Channels;

        Assert.Equal("ads", channels.Classify("google", "cpc", null));
        Assert.Equal("social", channels.Classify("facebook", "referral", null));
        Assert.Equal("social", channels.Classify("forum", "sm", null));
        Assert.Equal("unassigned", channels.Classify("google", "organic", null));
        Assert.Equal("unassigned", channels.Classify("(direct)", "(none)", null));
    }

    [Fact]
    public void Parse_NewSourceCategory_CanBeUsedByRules()
    {
        var channels = Parse("""
            channels:
              rules:
                - channel: partners
                  source_category: partners
              source_categories:
                partners: [acme.example, globex]
            """).Channels;

        Assert.Equal("partners", channels.Normalize(Events.Marketing(referrer: "https://shop.acme.example/x")).Channel);
        Assert.Equal("partners", channels.Classify("globex", "cpc", null));
        Assert.Equal("referral", channels.Classify("initech.example", "referral", null));
    }

    [Fact]
    public void Parse_InvalidRegex_NamesLineKeyAndValue()
    {
        var error = ParseError("""
            time_zone: UTC
            channels:
              rules:
                - channel: a
                  medium: "^a$"
                - channel: b
                  medium: "(("
            """);

        Assert.StartsWith("pretzel.yaml line 7: channels.rules[1].medium: invalid regular expression '((':", error.Message, StringComparison.Ordinal);
        Assert.Equal(("project.invalid_regex", 7, "channels.rules[1].medium"), (error.Code, error.Line, error.Key));
    }

    [Theory]
    [InlineData("time_zon: UTC\n", 1, "time_zon", "did you mean 'time_zone'?")]
    [InlineData("conversion:\n  event: [purchase]\n", 2, "conversion.event", "did you mean 'events'?")]
    [InlineData("channels:\n  rules:\n    - channel: a\n      mediun: cpc\n", 4, "channels.rules[0].mediun", "did you mean 'medium'?")]
    [InlineData("channels:\n  rules:\n    - channel: a\n      any:\n        - channel: b\n", 5, "channels.rules[0].any[0].channel", "unknown key")]
    [InlineData("stages: []\n", 1, "stages", "expected one of time_zone, conversion, channels")]
    public void Parse_UnknownKey_IsRejectedByName(string yaml, int line, string key, string hint)
    {
        var error = ParseError(yaml);

        Assert.Equal(("project.unknown_key", line, key), (error.Code, error.Line, error.Key));
        Assert.StartsWith($"pretzel.yaml line {line}: {key}: unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("CEST+2")]
    public void Parse_UnknownTimeZone_IsRejected(string zone)
    {
        var error = ParseError($"conversion:\n  events: [purchase]\ntime_zone: {zone}\n");

        Assert.Equal(("project.invalid_time_zone", 3, "time_zone"), (error.Code, error.Line, error.Key));
        Assert.Contains($"'{zone}'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("pretzel.yaml line 3: time_zone:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("UTC")]
    public void Parse_IanaTimeZone_IsAccepted(string zone) =>
        Assert.Equal(zone, Parse($"time_zone: {zone}\n").TimeZone);

    [Theory]
    [InlineData("channels: [\n", 2, null)]
    [InlineData("channels:\n  rules:\n  - channel: a\n   medium: b\n", 4, null)]
    [InlineData("time_zone: UTC\ntime_zone: UTC\n", 2, null)]
    [InlineData("time_zone: [UTC]\n", 1, "time_zone")]
    [InlineData("time_zone:\n", 1, "time_zone")]
    [InlineData("conversion:\n  events: []\n", 2, "conversion.events")]
    [InlineData("conversion: purchase\n", 1, "conversion")]
    [InlineData("channels:\n  replace_defaults: maybe\n", 2, "channels.replace_defaults")]
    [InlineData("channels:\n  replace_defaults: true\n", 2, "channels.replace_defaults")]
    [InlineData("channels:\n  rules:\n    - medium: cpc\n", 3, "channels.rules[0].channel")]
    [InlineData("channels:\n  rules:\n    - channel: \"--\"\n", 3, "channels.rules[0].channel")]
    [InlineData("channels:\n  rules:\n    - channel: a\n      source_category: searh\n", 4, "channels.rules[0].source_category")]
    [InlineData("channels:\n  rules: nope\n", 2, "channels.rules")]
    [InlineData("channels:\n  source_categories:\n    Search Engines: [a.example]\n", 3, "channels.source_categories.Search Engines")]
    [InlineData("channels:\n  source_categories:\n    search:\n      - ok.example\n      - \"https://bad.example/\"\n", 5, "channels.source_categories.search[1]")]
    public void Parse_InvalidValue_NamesLineAndKey(string yaml, int line, string? key)
    {
        var error = ParseError(yaml);

        Assert.Equal(line, error.Line);
        Assert.Equal(key, error.Key);
        Assert.StartsWith(key is null ? $"pretzel.yaml line {line}: " : $"pretzel.yaml line {line}: {key}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownCategory_ListsTheKnownOnes()
    {
        var error = ParseError("channels:\n  rules:\n    - channel: a\n      source_category: searh\n");

        Assert.Contains("unknown source category 'searh'; known: search, shopping, social, video", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pretzel-missing-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<ProjectSettingsException>(() => ProjectSettings.Load(path));

        Assert.Equal("project.file", error.Code);
        Assert.StartsWith(path + ": cannot read the project file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_File_UsesThePathInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pretzel-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "time_zone: Europe/Berlin\nchannel: {}\n");
        try
        {
            var error = Assert.Throws<ProjectSettingsException>(() => ProjectSettings.Load(path));

            Assert.StartsWith($"{path} line 2: channel: unknown key; did you mean 'channels'?", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_ExampleProjectFile_IsValid()
    {
        var settings = ProjectSettings.Load(Path.Combine(RepositoryRoot(), "examples", "pretzel.yaml"));

        Assert.Equal("Europe/Berlin", settings.TimeZone);
        Assert.Contains("purchase", settings.ConversionEvents);
        Assert.Equal("partner_webinars", settings.Channels.Classify("partner-acme", "webinar", null));
        Assert.Equal("paid_search", settings.Channels.Classify("google", "cpc", null));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pretzel.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Pretzel.slnx not found above " + AppContext.BaseDirectory);
    }
}
