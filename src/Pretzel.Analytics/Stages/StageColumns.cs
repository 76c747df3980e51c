using System.Collections;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Stages;

/// <summary>
/// Which events of an <see cref="EventColumns"/> put their person in a stage: each rule's fields tested
/// through lookup tables over the columns' codes, its property conditions as bits the store evaluated,
/// and <c>occurrence</c> counted per person in stream order (as <see cref="StageAnalysis"/> does).
/// </summary>
internal static class StageColumns
{
    /// <summary>One bit per event; <paramref name="where"/> gives, per rule with property conditions, the events meeting them.</summary>
    internal static BitArray Match(EventColumns columns, Stage stage, Func<StageRule, BitArray> where)
    {
        var rules = stage.Rules.Select(r => new Rule(columns, r, r.Where is null ? null : where(r))).ToArray();
        var result = new bool[columns.Count];
        Parallel.For(0, (columns.PersonCount + 4095) / 4096, block =>
        {
            var seen = new int[rules.Length];
            var last = Math.Min(columns.PersonCount, (block + 1) * 4096);
            for (var p = block * 4096; p < last; p++)
            {
                Array.Clear(seen);
                for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1]; i++)
                {
                    for (var r = 0; r < rules.Length; r++)
                    {
                        if (!rules[r].Fields(i))
                        {
                            continue;
                        }

                        var occurrence = rules[r].Occurrence;
                        var before = occurrence is null ? 0 : seen[r]++;
                        result[i] |= occurrence is null || (occurrence == "first" && before == 0) || (occurrence == "repeat" && before > 0);
                    }
                }
            }
        });
        return new BitArray(result);
    }

    private sealed class Rule
    {
        private readonly EventColumns _columns;
        private readonly bool[]? _events;
        private readonly bool[]? _types;
        private readonly bool[]? _channels;
        private readonly BitArray? _where;

        internal Rule(EventColumns columns, StageRule rule, BitArray? where)
        {
            _columns = columns;
            _events = rule.Events is null ? null : Allowed(columns.Event, rule.Events);
            _channels = rule.Channels is null ? null : Allowed(columns.Channel, rule.Channels);
            if (rule.Types is not null)
            {
                _types = new bool[256];
                foreach (var type in rule.Types)
                {
                    if (EventTypes.TryParse(type, out var t))
                    {
                        _types[(int)t!.Value] = true;
                    }
                }
            }

            _where = where;
            Occurrence = rule.Occurrence;
        }

        internal string? Occurrence { get; }

        internal bool Fields(int i) =>
            (_events is null || _events[_columns.Event.Codes[i] + 1])
            && (_types is null || _types[_columns.Types[i]])
            && (_channels is null || _channels[_columns.Channel.Codes[i] + 1])
            && (_where is null || _where[i]);

        private static bool[] Allowed(CodedColumn column, IEnumerable<string> values)
        {
            var allowed = new bool[column.Labels.Length + 1];
            foreach (var value in values)
            {
                var code = column.CodeOf(value);
                if (code >= 0)
                {
                    allowed[code + 1] = true;
                }
            }

            return allowed;
        }
    }
}
