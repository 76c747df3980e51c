using System.Text.RegularExpressions;
using Pretzel.Ingest.Channels;
using YamlDotNet.RepresentationModel;

namespace Pretzel.Ingest.Projects;

/// <summary>The <c>channels:</c> section: custom rules, whether they replace the defaults, extra source-category sites.</summary>
internal sealed partial class ProjectFileReader
{
    private static readonly string[] ChannelsKeys = ["replace_defaults", "source_categories", "rules"];
    private static readonly string[] RuleKeys = ["channel", "source", "medium", "campaign", "source_category", "any"];
    private static readonly string[] ConditionKeys = ["source", "medium", "campaign", "source_category", "any"];

    private ChannelRules ReadChannels(YamlNode node, string path)
    {
        bool replaceDefaults = false;
        YamlNode? replaceNode = null;
        var sites = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        YamlNode? rulesNode = null;
        foreach (var (key, value) in Entries(Mapping(node, path), path, ChannelsKeys))
        {
            switch (key)
            {
                case "replace_defaults": replaceDefaults = Boolean(value, $"{path}.{key}"); replaceNode = value; break;
                case "source_categories": ReadSourceCategories(value, $"{path}.{key}", sites); break;
                default: rulesNode = value; break;
            }
        }

        // Categories first: rules may name a category the project defines, wherever it appears in the file.
        var categories = SourceCategories.Default.With(sites);
        var rules = new List<ChannelRule>();
        if (rulesNode is not null && !IsNull(rulesNode))
        {
            var rulesPath = $"{path}.rules";
            if (rulesNode is not YamlSequenceNode sequence)
                throw Error("project.invalid_value", rulesNode, rulesPath, $"expected a list of rules, found {Kind(rulesNode)}");
            for (int i = 0; i < sequence.Children.Count; i++)
                rules.Add(ReadRule(sequence.Children[i], $"{rulesPath}[{i}]", categories));
        }
        if (replaceDefaults && rules.Count == 0)
            Fail("project.invalid_value", replaceNode ?? node, $"{path}.replace_defaults", "is true but no rules are given: every event would be 'unassigned'");
        return ChannelRules.Create(rules, replaceDefaults, sites);
    }

    private void ReadSourceCategories(YamlNode node, string path, Dictionary<string, IReadOnlyList<string>> sites)
    {
        foreach (var (keyNode, value) in Mapping(node, path).Children)
        {
            var name = keyNode is YamlScalarNode { Value: { } k } ? k.Trim() : "";
            var categoryPath = $"{path}.{name}";
            if (ChannelNames.Normalize(name) != name)
                Fail("project.invalid_value", keyNode, categoryPath, "a category name is lower-case letters, digits and '_' (e.g. 'search', 'partners')");
            if (sites.ContainsKey(name))
                Fail("project.invalid_value", keyNode, categoryPath, "key given twice");
            var entries = ScalarList(value, categoryPath);
            var sequence = value as YamlSequenceNode;
            for (int i = 0; i < entries.Count; i++)
            {
                var cleaned = SourceCategories.CleanEntry(entries[i]);
                if (cleaned is null || cleaned.Any(c => char.IsWhiteSpace(c) || c is '/' or ':' or '?' or '#'))
                {
                    Fail("project.invalid_value", sequence?.Children[i] ?? value, $"{categoryPath}[{i}]",
                        $"'{entries[i]}' is not a site: give a host such as 'search.example.com' or a name such as 'google'");
                }
            }
            sites[name] = entries;
        }
    }

    private ChannelRule ReadRule(YamlNode node, string path, SourceCategories categories)
    {
        var mapping = Mapping(node, path);
        string? channel = null;
        foreach (var (key, value) in Entries(mapping, path, RuleKeys))
        {
            if (key != "channel")
                continue;
            var raw = Scalar(value, $"{path}.channel");
            channel = ChannelNames.Normalize(raw)
                ?? throw Error("project.invalid_value", value, $"{path}.channel", $"'{raw}' is not a channel name");
        }
        if (channel is null)
            Fail("project.invalid_value", node, $"{path}.channel", "missing: every rule names the channel it assigns");
        return new ChannelRule(channel, ReadCondition(mapping, path, categories, RuleKeys));
    }

    private ChannelCondition ReadCondition(YamlMappingNode mapping, string path, SourceCategories categories, IReadOnlyList<string> keys)
    {
        ValueMatcher? source = null, medium = null, campaign = null;
        List<string> sourceCategories = [];
        List<ChannelCondition> any = [];
        foreach (var (key, value) in Entries(mapping, path, keys))
        {
            var keyPath = $"{path}.{key}";
            switch (key)
            {
                case "source": source = Matcher(value, keyPath); break;
                case "medium": medium = Matcher(value, keyPath); break;
                case "campaign": campaign = Matcher(value, keyPath); break;
                case "source_category":
                    sourceCategories = ScalarList(value, keyPath);
                    foreach (var name in sourceCategories)
                    {
                        if (!categories.IsDefined(name))
                        {
                            Fail("project.invalid_value", value, keyPath,
                                $"unknown source category '{name}'; known: {string.Join(", ", categories.Names.Order(StringComparer.Ordinal))} (add one under channels.source_categories)");
                        }
                    }
                    break;
                case "any":
                    if (value is not YamlSequenceNode alternatives || alternatives.Children.Count == 0)
                        throw Error("project.invalid_value", value, keyPath, "expected a non-empty list of conditions");
                    for (int i = 0; i < alternatives.Children.Count; i++)
                    {
                        var itemPath = $"{keyPath}[{i}]";
                        any.Add(ReadCondition(Mapping(alternatives.Children[i], itemPath), itemPath, categories, ConditionKeys));
                    }
                    break;
            }
        }
        return new ChannelCondition { Source = source, Medium = medium, Campaign = campaign, SourceCategories = sourceCategories, Any = any };
    }

    /// <summary>A single value is a regular expression; a list is a set of exact values.</summary>
    private ValueMatcher Matcher(YamlNode node, string path)
    {
        if (node is YamlSequenceNode)
            return ValueMatcher.OneOf(ScalarList(node, path));
        var pattern = Scalar(node, path);
        try
        {
            return ValueMatcher.Pattern(pattern);
        }
        catch (ArgumentException ex)
        {
            throw Error("project.invalid_regex", node, path, $"invalid regular expression '{pattern}': {RegexProblem(pattern, ex)}", ex);
        }
    }

    // .NET says "Invalid pattern '((' at offset 2. Not enough )'s."; the pattern is already in our message.
    private static string RegexProblem(string pattern, ArgumentException ex)
    {
        if (ex is not RegexParseException parse)
            return ex.Message;
        var prefix = $"Invalid pattern '{pattern}' at offset {parse.Offset}. ";
        return ex.Message.StartsWith(prefix, StringComparison.Ordinal)
            ? $"{ex.Message[prefix.Length..]} (at offset {parse.Offset})"
            : ex.Message;
    }
}
