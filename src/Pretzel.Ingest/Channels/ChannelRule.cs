namespace Pretzel.Ingest.Channels;

/// <summary>One ordered rule: when <see cref="When"/> holds, the event's channel is <see cref="Channel"/>.</summary>
internal sealed record ChannelRule(string Channel, ChannelCondition When);
