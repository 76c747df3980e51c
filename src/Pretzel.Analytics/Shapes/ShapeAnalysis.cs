using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Shapes;

/// <summary>
/// The shape of every journey: each person's events (up to the end, in stream order) are placed in the
/// stages of a model as <see cref="StageAnalysis"/> places them, and the journey (a person with at least one
/// stage event) is given its <see cref="ShapeTraits"/>. <see cref="Compute"/> turns the traits into shares per
/// group. The definitions are in docs/analyses/journeys.md.
/// </summary>
public static class ShapeAnalysis
{
    /// <summary>The rows: one per group, by journeys descending then name, then <c>all</c> (only <c>all</c> without a breakdown).</summary>
    public static IReadOnlyList<ShapeRow> Compute(IEnumerable<PersonJourney> people, ShapeOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var all = new Tally();
        var groups = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var placement = new StagePlacement(options.Model);
        foreach (var person in people)
        {
            if (Classify(person, placement, options.Gap, options.To) is not { } shape)
            {
                continue;
            }

            all.Add(shape.Traits);
            if (options.By is not null)
            {
                if (!groups.TryGetValue(shape.FirstTouch, out var tally))
                {
                    groups[shape.FirstTouch] = tally = new Tally();
                }

                tally.Add(shape.Traits);
            }
        }

        var rows = groups.OrderByDescending(g => g.Value.Journeys).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.Row(g.Key)).ToList();
        rows.Add(all.Row(ShapeRow.AllGroup));
        return rows;
    }

    /// <summary>Every journey's shape, in the order of <paramref name="people"/> (people without a stage event are left out).</summary>
    public static IReadOnlyList<JourneyShape> Classify(IEnumerable<PersonJourney> people, StageModel model, TimeSpan gap, DateTime? to = null)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        var placement = new StagePlacement(model);
        return [.. people.Select(p => Classify(p, placement, gap, to)).OfType<JourneyShape>()];
    }

    private static JourneyShape? Classify(PersonJourney person, StagePlacement placement, TimeSpan gap, DateTime? to)
    {
        placement.Reset();
        var end = to is { } t ? EventTime.ToMicros(t) : long.MaxValue;
        var traits = ShapeTraits.None;
        var linear = true;
        var first = StagePlacement.NoStage;
        var latest = StagePlacement.NoStage;
        var furthest = StagePlacement.NoStage;
        var reached = new HashSet<int>();
        string? firstTouch = null;
        string? lastTouchpoint = null;
        var touchpoints = new HashSet<string>(StringComparer.Ordinal);
        long? previousMicros = null;
        foreach (var e in person.Events)
        {
            if (e.Micros > end)
            {
                break;
            }

            firstTouch ??= e.Channel;
            // More than the gap apart, compared in ticks (100 ns) so that a fractional duration is exact.
            if (previousMicros is { } previous && (e.Micros - previous) * 10 > gap.Ticks)
            {
                traits |= ShapeTraits.ReturnsAfterGap;
            }

            previousMicros = e.Micros;
            var stage = placement.Place(e);
            if (stage == StagePlacement.ExitStage)
            {
                traits |= ShapeTraits.Refused;
                continue;
            }

            if (stage == StagePlacement.NoStage)
            {
                continue;
            }

            if (first == StagePlacement.NoStage)
            {
                first = stage;
                linear = stage == 0;
                if (stage > 0)
                {
                    traits |= ShapeTraits.EntersMidFunnel;
                }
            }
            else
            {
                linear &= stage == latest || stage == latest + 1;
            }

            if (stage > 0 && !reached.Contains(stage - 1))
            {
                traits |= ShapeTraits.Skips;
            }

            if (stage < furthest)
            {
                traits |= ShapeTraits.GoesBack;
            }

            var touchpoint = Touchpoint(e);
            if (touchpoint != lastTouchpoint)
            {
                if (!touchpoints.Add(touchpoint))
                {
                    traits |= ShapeTraits.Loops;
                }

                lastTouchpoint = touchpoint;
            }

            reached.Add(stage);
            furthest = Math.Max(furthest, stage);
            latest = stage;
        }

        if (first == StagePlacement.NoStage)
        {
            return null;
        }

        return new JourneyShape(person.PersonId, linear ? traits | ShapeTraits.Linear : traits, firstTouch ?? ShapeRow.NoChannel);
    }

    /// <summary>The touchpoint of an event, for loops: its channel, else its event name, else its type.</summary>
    public static string Touchpoint(JourneyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Channel ?? e.Name ?? e.Type;
    }

    private sealed class Tally
    {
        private static readonly ShapeTraits[] Order =
            [ShapeTraits.Linear, ShapeTraits.Skips, ShapeTraits.GoesBack, ShapeTraits.Loops, ShapeTraits.ReturnsAfterGap, ShapeTraits.EntersMidFunnel, ShapeTraits.Refused];

        private readonly long[] _counts = new long[Order.Length];

        internal long Journeys { get; private set; }

        internal void Add(ShapeTraits traits)
        {
            Journeys++;
            for (var i = 0; i < Order.Length; i++)
            {
                if ((traits & Order[i]) != 0)
                {
                    _counts[i]++;
                }
            }
        }

        internal ShapeRow Row(string group)
        {
            double? Share(long count) => Journeys == 0 ? null : Math.Round((double)count / Journeys, 6);
            return new ShapeRow(group, Journeys, Share(_counts[0]), Share(_counts[1]), Share(_counts[2]), Share(_counts[3]), Share(_counts[4]),
                Share(_counts[5]), Share(_counts[6]), Share(Journeys - _counts[0]));
        }
    }
}
