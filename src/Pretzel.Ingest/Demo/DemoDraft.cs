using Pretzel.Core.Events;

namespace Pretzel.Ingest.Demo;

/// <summary>One event of the person being generated, before sorting and numbering.</summary>
internal struct DemoDraft
{
    public long Time;
    public long ReceiveDelay;
    public int Sequence;
    public EventType Type;
    public string? Name;
    public string? AnonymousId;
    public string? UserId;

    /// <summary>PreviousId for alias, GroupId for group.</summary>
    public string? OtherId;
    public string? Properties;
    public DemoTouch Touch;
    public double? Revenue;
}
