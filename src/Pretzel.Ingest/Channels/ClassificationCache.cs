using System.Collections.Concurrent;

namespace Pretzel.Ingest.Channels;

/// <summary>
/// Channel per (source, medium, campaign). An import sees a few thousand distinct tuples among millions of
/// events, so rules (a dozen regexes) run once per tuple. Bounded: when full it starts over rather than
/// grow with high-cardinality campaigns; a rebuild costs one rule evaluation per tuple.
/// </summary>
internal sealed class ClassificationCache(int capacity)
{
    public const int DefaultCapacity = 16_384;

    private readonly ConcurrentDictionary<(string? Source, string? Medium, string? Campaign), string> _channels = new();
    private int _count;

    public string GetOrAdd(string? source, string? medium, string? campaign, Func<string?, string?, string?, string> classify)
    {
        var key = (source, medium, campaign);
        if (_channels.TryGetValue(key, out var channel))
            return channel;
        channel = classify(source, medium, campaign);
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _channels.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        _channels.TryAdd(key, channel);
        return channel;
    }
}
