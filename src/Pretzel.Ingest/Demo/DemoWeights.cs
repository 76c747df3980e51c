namespace Pretzel.Ingest.Demo;

/// <summary>A fixed discrete distribution over values.</summary>
internal sealed class DemoWeights<T>
{
    private readonly T[] _values;
    private readonly double[] _cumulative;

    public DemoWeights(params (T Value, double Weight)[] items)
    {
        _values = new T[items.Length];
        _cumulative = new double[items.Length];
        var total = 0.0;
        for (var i = 0; i < items.Length; i++)
        {
            total += items[i].Weight;
        }

        var sum = 0.0;
        for (var i = 0; i < items.Length; i++)
        {
            _values[i] = items[i].Value;
            sum += items[i].Weight / total;
            _cumulative[i] = sum;
        }

        _cumulative[^1] = 1.0;
    }

    public T Pick(DemoRandom rng)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i])
            {
                return _values[i];
            }
        }

        return _values[^1];
    }
}
