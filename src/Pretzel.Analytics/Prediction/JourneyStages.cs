using System.Collections;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Per event of an <see cref="EventColumns"/>: the stage it puts its person in (1-based position in the model, 0 for
/// none; the highest when it matches several) and whether it is the model's exit (e.g. refusal).
/// </summary>
public sealed record JourneyStages(StageModel Model, byte[] StageOf, bool[] Exit)
{
    /// <summary>The stage name of a 1-based position, or <c>(none)</c> for 0.</summary>
    public string Name(int stage) => stage == 0 ? "(none)" : Model.Stages[stage - 1].Name;

    /// <summary>Matches <paramref name="model"/> over <paramref name="columns"/>; property conditions are evaluated by <paramref name="store"/> (may be null when there are none).</summary>
    public static async Task<JourneyStages> MatchAsync(EventColumns columns, StageModel model, IEventStore? store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(model);
        var where = new Dictionary<StageRule, BitArray>(ReferenceEqualityComparer.Instance);
        foreach (var rule in model.Stages.Append(model.Exit).OfType<Stage>().SelectMany(s => s.Rules).Where(r => r.Where is not null))
        {
            if (store is null)
            {
                throw new InvalidOperationException($"stage model '{model.Name}' has property conditions: a store must evaluate them");
            }

            var sql = string.Join(" AND ", rule.Where!.Select(c => c.Sql(store.Dialect)));
            where[rule] = await store.MatchEventsAsync(columns, sql, cancellationToken).ConfigureAwait(false);
        }

        var stageOf = new byte[columns.Count];
        for (var s = 0; s < model.Stages.Count && s < byte.MaxValue; s++)
        {
            var bits = StageColumns.Match(columns, model.Stages[s], rule => where[rule]);
            for (var i = 0; i < stageOf.Length; i++)
            {
                if (bits[i])
                {
                    stageOf[i] = (byte)(s + 1);
                }
            }
        }

        var exit = new bool[columns.Count];
        if (model.Exit is { } exitStage)
        {
            StageColumns.Match(columns, exitStage, rule => where[rule]).CopyTo(exit, 0);
        }

        return new JourneyStages(model, stageOf, exit);
    }
}
