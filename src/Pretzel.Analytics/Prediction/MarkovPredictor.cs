using Pretzel.Analytics.Graph;
using Pretzel.Analytics.Kernels;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// The chain model: the absorbing Markov chain of the journeys issue (<see cref="MarkovChain"/>) over prospects' first
/// journeys, and a journey's probability is the exact absorption probability in <c>(conversion)</c> from its current
/// state (its last K touches). A state the chain never saw backs off to the chain of order K − 1, …, 1, then to the
/// chain's overall rate. The chain knows no time: its probability is of converting at all, not within the horizon.
/// </summary>
public sealed class MarkovPredictor
{
    private readonly Dictionary<long, double> _probability;

    public MarkovPredictor(int order, IReadOnlyList<MarkovState> states, double overall)
    {
        ArgumentNullException.ThrowIfNull(states);
        Order = order;
        States = states;
        Overall = overall;
        _probability = [];
        foreach (var s in states)
        {
            _probability[Key(s)] = s.Probability;
        }
    }

    public int Order { get; }

    /// <summary>Every state of the chains of order 1..K, as touch indexes of the model's layout, with its probability.</summary>
    public IReadOnlyList<MarkovState> States { get; }

    /// <summary>The probability from <c>(start)</c>: a journey whose state no chain knows.</summary>
    public double Overall { get; }

    /// <summary>
    /// The probability of a journey whose last touches are <paramref name="recent"/> (oldest first, -1 before the first
    /// touch; its length is the order) and which has <paramref name="length"/> touches, with <paramref name="next"/>
    /// (≥ 0) added as one more touch.
    /// </summary>
    public double Probability(ReadOnlySpan<int> recent, int length, int next = -1)
    {
        Span<int> state = stackalloc int[Order + 1];
        recent.CopyTo(state);
        var n = Order;
        if (next >= 0)
        {
            state[n++] = next;
            length++;
        }

        for (var j = Order; j >= 1; j--)
        {
            var take = Math.Min(j, length);
            if (_probability.TryGetValue(Key(state.Slice(n - take, take), j), out var p))
            {
                return p;
            }
        }

        return Overall;
    }

    /// <summary>
    /// The chains of order 1..<paramref name="order"/> over the first journeys of everyone whose first touch is up to
    /// <paramref name="until"/>: touches up to the first conversion (a conversion row) or up to <paramref name="until"/> (a
    /// null row, when the last touch is at least <paramref name="horizon"/> before it; journeys touched more recently have
    /// no known outcome yet and are left out).
    /// </summary>
    internal static MarkovPredictor Train(EventColumns columns, PredictionOptions options, FeatureLayout layout, long until)
    {
        var coder = new TouchCoder(columns, options.Touch, layout.Touches);
        var conversion = PersonKernel.CodeSet(columns.Event, options.ConversionEvents);
        var horizon = options.Horizon.Ticks / 10;
        var counts = new Dictionary<string, (long Conversions, long Nulls, int[] Touches)>(StringComparer.Ordinal);
        var touches = new List<int>();
        for (var p = 0; p < columns.PersonCount; p++)
        {
            touches.Clear();
            var converted = false;
            long last = long.MinValue;
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1] && columns.Micros[i] <= until; i++)
            {
                if (conversion[columns.Event.Codes[i] + 1])
                {
                    converted = true;
                    break;
                }

                if (coder.Of(i) is >= 0 and var touch)
                {
                    touches.Add(touch);
                    last = columns.Micros[i];
                }
            }

            if (!converted && (touches.Count == 0 || last > until - horizon))
            {
                continue;
            }

            var key = string.Join(',', touches);
            var (c, n, t) = counts.TryGetValue(key, out var v) ? v : (0, 0, touches.ToArray());
            counts[key] = converted ? (c + 1, n, t) : (c, n + 1, t);
        }

        var rows = counts.Values.Select(v => new PathRow([.. v.Touches.Select(t => layout.Touches[t])], v.Conversions, 0, v.Nulls)).ToList();
        var states = new List<MarkovState>();
        var overall = 0.0;
        if (rows.Count > 0)
        {
            var index = layout.Touches.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
            for (var j = 1; j <= options.Order; j++)
            {
                var chain = MarkovChain.FromPaths(rows, j);
                overall = chain.ConversionProbability;
                foreach (var node in chain.Nodes().Skip(1))
                {
                    var named = node.Node.Split(" > ");
                    if (named.All(index.ContainsKey))
                    {
                        states.Add(new MarkovState(j, [.. named.Select(x => index[x])], node.ConversionProbability));
                    }
                }
            }
        }

        return new MarkovPredictor(options.Order, states, overall);
    }

    private static long Key(MarkovState s) => Key(s.Touches, s.Order);

    private static long Key(ReadOnlySpan<int> touches, int order)
    {
        long key = order;
        foreach (var t in touches)
        {
            key = (key << 12) | (uint)(t + 1);
        }

        return (key << 4) | (uint)touches.Length;
    }
}

/// <summary>A state of the chain of order <see cref="Order"/>: its touches (indexes into the model's touch list) and absorption probability.</summary>
public sealed record MarkovState(int Order, int[] Touches, double Probability);
