using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Journeys;

namespace Pretzel.Analytics.Stages;

/// <summary>
/// One way an event can put a person in a stage: every given field must match (event names, types,
/// channels; any of the listed values). <see cref="Occurrence"/> narrows it to the person's first such
/// event (<c>first</c>) or to the later ones (<c>repeat</c>), e.g. a repeat purchase.
/// </summary>
public sealed record StageRule
{
    public IReadOnlyList<string>? Events { get; init; }

    public IReadOnlyList<string>? Types { get; init; }

    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Conditions on event properties (YAML <c>where:</c>), all of which must hold.</summary>
    public IReadOnlyList<PropertyCondition>? Where { get; init; }

    /// <summary>null (any), <c>first</c> or <c>repeat</c>.</summary>
    public string? Occurrence { get; init; }

    /// <summary>Whether the fields and property conditions match (occurrence aside); property conditions need the event's properties loaded.</summary>
    public bool MatchesFields(JourneyEvent e) =>
        (Events is null || (e.Name is not null && Events.Contains(e.Name)))
        && (Types is null || Types.Contains(e.Type))
        && (Channels is null || (e.Channel is not null && Channels.Contains(e.Channel)))
        && (Where is null || Where.All(c => c.Matches(e.Properties)));
}

/// <summary>A named stage and the rules that put a person in it.</summary>
public sealed record Stage(string Name, IReadOnlyList<StageRule> Rules);

/// <summary>Ordered stages, and optionally an exit (e.g. refusal) a person can take from any stage.</summary>
public sealed record StageModel(string Name, IReadOnlyList<Stage> Stages, Stage? Exit)
{
    /// <summary>Whether any rule has property conditions (which the store must read properties for).</summary>
    public bool HasPropertyConditions => Stages.Append(Exit).OfType<Stage>().SelectMany(s => s.Rules).Any(r => r.Where is not null);

    /// <summary>The stage named <paramref name="name"/>, or null.</summary>
    public Stage? Find(string name) => Stages.FirstOrDefault(s => s.Name == name) ?? (Exit?.Name == name ? Exit : null);

    /// <summary>Throws <see cref="StageModelException"/> when the model cannot be used.</summary>
    public void Validate()
    {
        if (Stages.Count < 2)
        {
            throw new StageModelException($"model '{Name}': a stage model needs at least two stages");
        }

        foreach (var stage in Stages.Append(Exit).OfType<Stage>())
        {
            if (string.IsNullOrWhiteSpace(stage.Name))
            {
                throw new StageModelException($"model '{Name}': a stage has no name");
            }

            if (stage.Rules.Count == 0)
            {
                throw new StageModelException($"model '{Name}': stage '{stage.Name}' has no rules (match:)");
            }

            foreach (var rule in stage.Rules)
            {
                if (rule.Events is null && rule.Types is null && rule.Channels is null && rule.Where is null)
                {
                    throw new StageModelException($"model '{Name}': a rule of stage '{stage.Name}' names no event, type, channel or property condition");
                }

                if (rule.Occurrence is not (null or "first" or "repeat"))
                {
                    throw new StageModelException($"model '{Name}': stage '{stage.Name}': occurrence '{rule.Occurrence}' is not first or repeat");
                }
            }
        }

        var duplicate = Stages.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new StageModelException($"model '{Name}': stage '{duplicate.Key}' appears twice");
        }
    }
}

/// <summary>A stage model that cannot be read or used; the message names the model, stage or line.</summary>
public sealed class StageModelException(string message, Exception? inner = null) : Exception(message, inner);
