using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// What counts as reaching a step: an event name (<c>purchase</c>; for page and screen events the page
/// name), or conditions joined by <c>&amp;</c>, all of which must hold: <c>FIELD=VALUE</c> on the event's
/// fields (<c>type=page&amp;event=pricing</c>, <c>channel=email</c>) and <c>properties.KEY OP VALUE</c> on its
/// properties (<c>purchase&amp;properties.plan=pro</c>, <c>properties.revenue&gt;=100</c>; see
/// <see cref="PropertyCondition"/>). A bare first part is the event name. Fields: <c>event</c>, <c>type</c>,
/// <c>channel</c>, <c>source</c>, <c>medium</c>, <c>campaign</c>.
/// </summary>
public sealed class FunnelStep
{
    private static readonly string[] Fields = ["event", "type", "channel", "source", "medium", "campaign"];
    private readonly (string Field, string Value)[] _conditions;

    private FunnelStep(string name, (string Field, string Value)[] conditions, PropertyCondition[] properties, Stage? stage = null)
    {
        Name = name;
        _conditions = conditions;
        Properties = properties;
        Stage = stage;
    }

    /// <summary>A step that is a stage of a stage model: reached by an event that puts the person in that stage.</summary>
    public static FunnelStep FromStage(Stage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return new FunnelStep(stage.Name, [], [], stage);
    }

    /// <summary>The stage this step stands for, when it is one.</summary>
    public Stage? Stage { get; }

    /// <summary>The step as written.</summary>
    public string Name { get; }

    /// <summary>The field conditions, all of which an event must meet.</summary>
    internal IReadOnlyList<(string Field, string Value)> Conditions => _conditions;

    /// <summary>The conditions on event properties, all of which an event must meet too.</summary>
    public IReadOnlyList<PropertyCondition> Properties { get; }

    /// <summary>Parses one step; throws <see cref="FunnelException"/> naming the step and the problem.</summary>
    public static FunnelStep Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = text.Trim();
        if (name.Length == 0)
        {
            throw new FunnelException("a step is empty (steps are separated by commas)");
        }

        var conditions = new List<(string, string)>();
        var properties = new List<PropertyCondition>();
        var parts = name.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            var (at, op) = PropertyCondition.FindOperator(part);
            if (op is null && i == 0 && part.Length > 0)
            {
                conditions.Add(("event", part));
                continue;
            }

            var field = op is null ? part : part[..at].Trim();
            if (op is not null && field.StartsWith("properties.", StringComparison.OrdinalIgnoreCase))
            {
                properties.Add(new PropertyCondition(field["properties.".Length..], op, part[(at + op.Length)..].Trim()));
                continue;
            }

            field = field.ToLowerInvariant();
            if (op != "=" || Array.IndexOf(Fields, field) < 0)
            {
                throw new FunnelException($"step '{name}': '{part}' is not FIELD=VALUE with FIELD one of {string.Join(", ", Fields)}, nor properties.KEY OP VALUE");
            }

            conditions.Add((field, part[(at + 1)..].Trim()));
        }

        return new FunnelStep(name, [.. conditions], [.. properties]);
    }

    /// <summary>
    /// Which of a person's events (in stream order) reach this step. A stage's rule with an
    /// <c>occurrence</c> counts the person's earlier events that met the rule's fields, as in
    /// <see cref="StageAnalysis"/>.
    /// </summary>
    public bool[] MatchAll(IReadOnlyList<JourneyEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (Stage is null)
        {
            return [.. events.Select(Matches)];
        }

        var seen = new int[Stage.Rules.Count];
        var result = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            for (var r = 0; r < Stage.Rules.Count; r++)
            {
                var rule = Stage.Rules[r];
                if (!rule.MatchesFields(events[i]))
                {
                    continue;
                }

                var before = rule.Occurrence is null ? 0 : seen[r]++;
                result[i] |= rule.Occurrence is null || (rule.Occurrence == "first" && before == 0) || (rule.Occurrence == "repeat" && before > 0);
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="e"/> reaches this step (property conditions need its properties loaded; a stage with occurrences needs <see cref="MatchAll"/>).</summary>
    public bool Matches(JourneyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Stage is not null)
        {
            if (Stage.Rules.Any(r => r.Occurrence is not null))
            {
                throw new InvalidOperationException($"stage '{Stage.Name}' counts occurrences: match a person's events with MatchAll");
            }

            return Stage.Rules.Any(r => r.MatchesFields(e));
        }

        foreach (var (field, value) in _conditions)
        {
            var actual = field switch
            {
                "event" => e.Name,
                "type" => e.Type,
                "channel" => e.Channel,
                "source" => e.Source,
                "medium" => e.Medium,
                _ => e.Campaign,
            };
            if (!string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var condition in Properties)
        {
            if (!condition.Matches(e.Properties))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The property conditions as one SQL condition over <c>events</c>, or null when there are none.</summary>
    public string? PropertySql(Pretzel.Core.Storage.ISqlDialect dialect) =>
        Properties.Count == 0 ? null : string.Join(" AND ", Properties.Select(p => p.Sql(dialect)));
}

/// <summary>A funnel that cannot be computed as asked; the message names the option or step.</summary>
public sealed class FunnelException(string message) : Exception(message);
