using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// The touch of each event as an index into a model's touch list, through lookup tables over the columns' codes (as
/// <see cref="PathKernel"/> names touches): -1 for an event that is no touch, the last index (<c>(other)</c>) for a
/// touch the model does not know.
/// </summary>
internal sealed class TouchCoder
{
    private readonly EventColumns _columns;
    private readonly TouchKind _kind;
    private readonly int _events;
    private readonly int _campaigns;
    private readonly int[] _index;

    internal TouchCoder(EventColumns columns, TouchKind kind, IReadOnlyList<string> touches)
    {
        _columns = columns;
        _kind = kind;
        _events = columns.Event.Labels.Length;
        _campaigns = columns.Campaign.Labels.Length + 1;
        var known = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < touches.Count - 1; i++)
        {
            known[touches[i]] = i;
        }

        _index = new int[RawCount];
        for (var raw = 0; raw < _index.Length; raw++)
        {
            _index[raw] = Label(raw) is { } label && known.TryGetValue(label, out var i) ? i : touches.Count - 1;
        }
    }

    /// <summary>How many raw touch codes the columns can produce.</summary>
    internal int RawCount => _kind switch
    {
        TouchKind.Channel => _columns.Channel.Labels.Length,
        TouchKind.Campaign => _columns.Campaign.Labels.Length,
        TouchKind.Event => _events,
        TouchKind.ChannelCampaign => _columns.Channel.Labels.Length * _campaigns,
        _ => (_columns.Channel.Labels.Length + 1) * _events,
    };

    /// <summary>The model's touch index of event <paramref name="i"/>, or -1.</summary>
    internal int Of(int i)
    {
        var raw = Raw(_columns, _kind, _events, _campaigns, i);
        return raw < 0 ? -1 : _index[raw];
    }

    /// <summary>The raw touch code of event <paramref name="i"/> (as <see cref="PathKernel"/> codes it), or -1.</summary>
    internal int Raw(int i) => Raw(_columns, _kind, _events, _campaigns, i);

    /// <summary>The label of a raw touch code.</summary>
    internal string? Label(int raw) => _kind switch
    {
        TouchKind.Channel => _columns.Channel.Labels[raw],
        TouchKind.Campaign => _columns.Campaign.Labels[raw],
        TouchKind.Event => _columns.Event.Labels[raw],
        TouchKind.ChannelCampaign => _columns.Channel.Labels[raw / _campaigns] + ":" + (raw % _campaigns == 0 ? "(none)" : _columns.Campaign.Labels[(raw % _campaigns) - 1]),
        _ => (raw / _events == 0 ? "(none)" : _columns.Channel.Labels[(raw / _events) - 1]) + ":" + _columns.Event.Labels[raw % _events],
    };

    private static int Raw(EventColumns c, TouchKind kind, int events, int campaigns, int i) => kind switch
    {
        TouchKind.Channel => c.Channel.Codes[i],
        TouchKind.Campaign => c.Campaign.Codes[i],
        TouchKind.Event => c.Event.Codes[i],
        TouchKind.ChannelCampaign => c.Channel.Codes[i] < 0 ? -1 : (c.Channel.Codes[i] * campaigns) + c.Campaign.Codes[i] + 1,
        _ => c.Event.Codes[i] < 0 ? -1 : ((c.Channel.Codes[i] + 1) * events) + c.Event.Codes[i],
    };
}
