using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;

namespace Pretzel.Analytics.Shapes;

/// <summary>
/// Places one person's events in the stages of a model, event by event in stream order, by the rule
/// <see cref="StageAnalysis"/> uses: an event matching the exit is the exit (and is not counted by any
/// occurrence rule); otherwise it belongs to the furthest stage with a matching rule, where an
/// <c>occurrence</c> rule counts every earlier event of this person that matched its fields. Create one per
/// person (or <see cref="Reset"/> between people).
/// </summary>
public sealed class StagePlacement
{
    /// <summary>What <see cref="Place"/> returns for an event in no stage.</summary>
    public const int NoStage = -1;

    /// <summary>What <see cref="Place"/> returns for an event matching the model's exit.</summary>
    public const int ExitStage = -2;

    private readonly StageModel _model;
    private readonly Dictionary<StageRule, int> _occurrences = new(ReferenceEqualityComparer.Instance);

    public StagePlacement(StageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>Forgets the occurrences counted so far, for the next person.</summary>
    public void Reset() => _occurrences.Clear();

    /// <summary>The 0-based stage of <paramref name="e"/>, <see cref="NoStage"/> or <see cref="ExitStage"/>; the person's events must come in stream order.</summary>
    public int Place(JourneyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_model.Exit is { } exit && exit.Rules.Any(r => r.MatchesFields(e)))
        {
            return ExitStage;
        }

        var stage = NoStage;
        for (var k = 0; k < _model.Stages.Count; k++)
        {
            foreach (var rule in _model.Stages[k].Rules)
            {
                if (!rule.MatchesFields(e))
                {
                    continue;
                }

                var seen = _occurrences.GetValueOrDefault(rule);
                if (rule.Occurrence is not null)
                {
                    _occurrences[rule] = seen + 1;
                }

                if (rule.Occurrence is null || (rule.Occurrence == "first" && seen == 0) || (rule.Occurrence == "repeat" && seen > 0))
                {
                    stage = k;
                }
            }
        }

        return stage;
    }
}
