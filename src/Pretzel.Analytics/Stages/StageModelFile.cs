using Pretzel.Analytics.Funnels;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pretzel.Analytics.Stages;

/// <summary>
/// Reads a stage model from YAML:
/// <code>
/// name: saas
/// stages:
///   - name: visit
///     match:
///       - type: page
///   - name: trial
///     match:
///       - event: [trial_started, sign_up]
///   - name: paid
///     match:
///       - event: purchase
///         occurrence: first
/// exit:
///   name: refusal
///   match:
///     - event: [refused, churned]
/// </code>
/// Errors name the file, line and key.
/// </summary>
public static class StageModelFile
{
    /// <summary>A built-in model by name, or a YAML file by path.</summary>
    public static StageModel Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (BuiltInModels.Find(nameOrPath) is { } builtIn)
        {
            return builtIn;
        }

        if (!File.Exists(nameOrPath))
        {
            throw new StageModelException($"--model {nameOrPath}: neither a built-in model ({string.Join(", ", BuiltInModels.Names)}) nor a file");
        }

        return Parse(File.ReadAllText(nameOrPath), nameOrPath);
    }

    /// <summary>Parses YAML text; <paramref name="source"/> names it in errors.</summary>
    public static StageModel Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new StageModelException($"{source}, line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new StageModelException($"{source}: expected a mapping with name, stages and optionally exit");
        }

        var name = Scalar(root, "name", source) ?? Path.GetFileNameWithoutExtension(source);
        if (!root.Children.TryGetValue(new YamlScalarNode("stages"), out var stagesNode) || stagesNode is not YamlSequenceNode stages)
        {
            throw new StageModelException($"{source}, line {root.Start.Line}: 'stages' must be a list of stages");
        }

        var model = new StageModel(name, [.. stages.Children.Select(s => ReadStage(s, source))],
            root.Children.TryGetValue(new YamlScalarNode("exit"), out var exit) ? ReadStage(exit, source) : null);
        model.Validate();
        return model;
    }

    private static Stage ReadStage(YamlNode node, string source)
    {
        if (node is not YamlMappingNode map)
        {
            throw new StageModelException($"{source}, line {node.Start.Line}: a stage is a mapping with name and match");
        }

        var name = Scalar(map, "name", source) ?? throw new StageModelException($"{source}, line {node.Start.Line}: a stage needs a name");
        if (!map.Children.TryGetValue(new YamlScalarNode("match"), out var matchNode) || matchNode is not YamlSequenceNode match)
        {
            throw new StageModelException($"{source}, line {node.Start.Line}: stage '{name}' needs 'match': a list of rules");
        }

        return new Stage(name, [.. match.Children.Select(r => ReadRule(r, name, source))]);
    }

    private static StageRule ReadRule(YamlNode node, string stage, string source)
    {
        if (node is not YamlMappingNode map)
        {
            throw new StageModelException($"{source}, line {node.Start.Line}: a rule of stage '{stage}' is a mapping (event, type, channel, where, occurrence)");
        }

        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>())
        {
            if (key.Value is not ("event" or "type" or "channel" or "where" or "occurrence"))
            {
                throw new StageModelException($"{source}, line {key.Start.Line}: stage '{stage}': unknown rule key '{key.Value}' (event, type, channel, where, occurrence)");
            }
        }

        List<PropertyCondition>? where = null;
        if (map.Children.TryGetValue(new YamlScalarNode("where"), out var whereNode))
        {
            where = [];
            foreach (var condition in whereNode is YamlSequenceNode seq ? seq.Children : [whereNode])
            {
                try
                {
                    where.Add(PropertyCondition.Parse((condition as YamlScalarNode)?.Value ?? ""));
                }
                catch (FunnelException ex)
                {
                    throw new StageModelException($"{source}, line {condition.Start.Line}: stage '{stage}': where: {ex.Message}", ex);
                }
            }
        }

        return new StageRule
        {
            Events = List(map, "event"),
            Types = List(map, "type"),
            Channels = List(map, "channel"),
            Where = where,
            Occurrence = Scalar(map, "occurrence", source),
        };
    }

    private static string[]? List(YamlMappingNode map, string key) =>
        !map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? null
        : node is YamlSequenceNode seq ? [.. seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")]
        : node is YamlScalarNode s ? [s.Value ?? ""] : null;

    private static string? Scalar(YamlMappingNode map, string key, string source) =>
        !map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? null
        : node is YamlScalarNode s ? s.Value
        : throw new StageModelException($"{source}, line {node.Start.Line}: '{key}' must be a single value");
}
