namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Open journeys looked at at a moment (samples): their features in one flat array, one row of
/// <see cref="Width"/> per sample, and what the models and next-best-touch need besides.
/// </summary>
public sealed class JourneySamples
{
    internal JourneySamples(int width, int order)
    {
        Width = width;
        Order = order;
    }

    public int Width { get; }

    /// <summary>Touches remembered per sample for the chain (its order).</summary>
    public int Order { get; }

    public int Count => Person.Count;

    /// <summary>Row-major features, <see cref="Width"/> per sample.</summary>
    public List<float> Features { get; } = [];

    /// <summary>The person index in the columns.</summary>
    public List<int> Person { get; } = [];

    /// <summary>The moment looked at (microseconds since the Unix epoch).</summary>
    public List<long> Moment { get; } = [];

    /// <summary>Whether the person converted within the horizon after the moment.</summary>
    public List<bool> Label { get; } = [];

    /// <summary>The time of the journey's first touch.</summary>
    public List<long> FirstTouch { get; } = [];

    /// <summary>The time of the journey's last touch.</summary>
    public List<long> LastTouchTime { get; } = [];

    /// <summary>The stage reached (1-based, 0 for none).</summary>
    public List<byte> Stage { get; } = [];

    /// <summary>Whether a touch at the moment would start a new session.</summary>
    public List<bool> NewSession { get; } = [];

    /// <summary>Touches in the journey.</summary>
    public List<int> PathLength { get; } = [];

    /// <summary>The last <see cref="Order"/> touch indexes per sample, oldest first, -1 before the first touch.</summary>
    public List<int> LastTouches { get; } = [];

    /// <summary>Sample <paramref name="s"/>'s features.</summary>
    public ReadOnlySpan<float> Row(int s) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Features).Slice(s * Width, Width);

    /// <summary>Sample <paramref name="s"/>'s last touch index.</summary>
    public int LastTouch(int s) => LastTouches[(s * Order) + Order - 1];

    /// <summary>The samples for which <paramref name="keep"/> holds, in order.</summary>
    public JourneySamples Where(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var result = new JourneySamples(Width, Order);
        for (var s = 0; s < Count; s++)
        {
            if (keep(s))
            {
                result.AddFrom(this, s);
            }
        }

        return result;
    }

    internal void AddFrom(JourneySamples other, int s)
    {
        Features.AddRange(other.Row(s));
        Person.Add(other.Person[s]);
        Moment.Add(other.Moment[s]);
        Label.Add(other.Label[s]);
        FirstTouch.Add(other.FirstTouch[s]);
        LastTouchTime.Add(other.LastTouchTime[s]);
        Stage.Add(other.Stage[s]);
        NewSession.Add(other.NewSession[s]);
        PathLength.Add(other.PathLength[s]);
        for (var k = 0; k < Order; k++)
        {
            LastTouches.Add(other.LastTouches[(s * Order) + k]);
        }
    }

    internal void Append(JourneySamples other)
    {
        for (var s = 0; s < other.Count; s++)
        {
            AddFrom(other, s);
        }
    }
}
