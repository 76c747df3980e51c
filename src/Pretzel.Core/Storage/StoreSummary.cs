namespace Pretzel.Core.Storage;

/// <summary>Headline numbers of a store.</summary>
public sealed record StoreSummary(
    long Events,
    long People,
    long Channels,
    long Conversions,
    double Revenue,
    DateTime? FirstEvent,
    DateTime? LastEvent);
