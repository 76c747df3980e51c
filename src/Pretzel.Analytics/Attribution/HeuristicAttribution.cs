using System.Runtime.CompilerServices;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

/// <summary>A channel's credit under one model: fractional conversions and value, and the Markov removal effect.</summary>
public sealed record ChannelCredit(string Channel, double Conversions, double Value, double? RemovalEffect = null);

/// <summary>
/// The rule-based models. Each converted journey hands out one conversion and its value over its touches by a fixed
/// rule; journeys that did not convert hand out nothing. Every channel that occurs in the table gets a credit (0 when
/// the rule never picks it). See docs/analyses/attribution.md.
/// </summary>
public static class HeuristicAttribution
{
    /// <summary>
    /// <c>first_touch</c>, <c>last_touch</c>, <c>last_non_direct</c>, <c>linear</c> or <c>position_based</c> over
    /// <paramref name="table"/>, one credit per channel in channel order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<ChannelCredit> Compute(AttributionTable table, string model, PositionWeights weights)
    {
        ArgumentNullException.ThrowIfNull(table);
        weights.Validate();
        var channels = table.Channels.Count;
        var conversions = new double[channels];
        var values = new double[channels];
        var direct = -1;
        for (var c = 0; c < channels; c++)
        {
            if (table.Channels[c] == AttributionModels.Direct)
            {
                direct = c;
            }
        }

        var sum = weights.First + weights.Middle + weights.Last;
        var (first, middle, last) = (weights.First / sum, weights.Middle / sum, weights.Last / sum);
        var (firstOfTwo, lastOfTwo) = (weights.First / (weights.First + weights.Last), weights.Last / (weights.First + weights.Last));
        for (var r = 0; r < table.Count; r++)
        {
            double n = table.Conversions(r), v = table.Value(r);
            if (n == 0 && v == 0)
            {
                continue;
            }

            var touches = table.Touches(r);
            switch (model)
            {
                case AttributionModels.FirstTouch:
                    Add(touches[0], 1);
                    break;
                case AttributionModels.LastTouch:
                    Add(touches[^1], 1);
                    break;
                case AttributionModels.LastNonDirect:
                    var pick = touches.Length - 1;
                    while (pick > 0 && touches[pick] == direct)
                    {
                        pick--;
                    }

                    // All direct: direct gets it (pick stops at 0, which is then direct).
                    Add(touches[pick], 1);
                    break;
                case AttributionModels.Linear:
                    var share = 1.0 / touches.Length;
                    foreach (var t in touches)
                    {
                        Add(t, share);
                    }

                    break;
                case AttributionModels.PositionBased:
                    if (touches.Length == 1)
                    {
                        Add(touches[0], 1);
                    }
                    else if (touches.Length == 2)
                    {
                        Add(touches[0], firstOfTwo);
                        Add(touches[1], lastOfTwo);
                    }
                    else
                    {
                        Add(touches[0], first);
                        Add(touches[^1], last);
                        var each = middle / (touches.Length - 2);
                        foreach (var t in touches[1..^1])
                        {
                            Add(t, each);
                        }
                    }

                    break;
                default:
                    throw new ArgumentException($"'{model}' is not a rule-based model", nameof(model));
            }

            void Add(int channel, double fraction)
            {
                conversions[channel] += n * fraction;
                values[channel] += v * fraction;
            }
        }

        return Credits(table, conversions, values);
    }

    /// <summary>
    /// <c>time_decay</c>: each converted journey's touch at time t gets a share proportional to
    /// 2^(−(conversion time − t) / <paramref name="halfLife"/>); a journey without touches credits
    /// <see cref="AttributionModels.NoTouch"/>. One credit per channel, in order of first appearance.
    /// </summary>
    public static IReadOnlyList<ChannelCredit> TimeDecay(IEnumerable<PathJourney> journeys, TimeSpan halfLife)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        if (halfLife <= TimeSpan.Zero)
        {
            throw new PathException($"--half-life must be positive; got {halfLife}");
        }

        var half = halfLife.Ticks / 10.0;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var conversions = new List<double>();
        var values = new List<double>();
        var weights = new List<double>();
        foreach (var journey in journeys)
        {
            foreach (var touch in journey.Touches.Count == 0 ? [AttributionModels.NoTouch] : journey.Touches)
            {
                Id(touch);
            }

            if (!journey.Converted)
            {
                continue;
            }

            if (journey.Touches.Count == 0)
            {
                var id = Id(AttributionModels.NoTouch);
                conversions[id] += 1;
                values[id] += journey.Value;
                continue;
            }

            // Relative to the latest touch, so that no weight underflows to 0 whatever the half-life.
            weights.Clear();
            var latest = journey.TouchMicros.Max();
            var total = 0.0;
            foreach (var micros in journey.TouchMicros)
            {
                var w = Math.Pow(2, -(latest - micros) / half);
                weights.Add(w);
                total += w;
            }

            for (var i = 0; i < journey.Touches.Count; i++)
            {
                var id = Id(journey.Touches[i]);
                conversions[id] += weights[i] / total;
                values[id] += journey.Value * weights[i] / total;
            }
        }

        return [.. names.Select((name, i) => new ChannelCredit(name, conversions[i], values[i]))];

        int Id(string touch)
        {
            if (!ids.TryGetValue(touch, out var id))
            {
                ids[touch] = id = names.Count;
                names.Add(touch);
                conversions.Add(0);
                values.Add(0);
            }

            return id;
        }
    }

    /// <summary>One credit per channel used in the table (in a row with journeys or value), in channel order.</summary>
    internal static IReadOnlyList<ChannelCredit> Credits(AttributionTable table, double[] conversions, double[] values, double[]? removalEffects = null)
    {
        var used = table.UsedChannels();
        var credits = new List<ChannelCredit>();
        for (var c = 0; c < used.Length; c++)
        {
            if (used[c])
            {
                credits.Add(new ChannelCredit(table.Channels[c], conversions[c], values[c], removalEffects?[c]));
            }
        }

        return credits;
    }
}
