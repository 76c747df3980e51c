namespace Pretzel.Ingest.Demo;

/// <summary>A referral that brings a friend: sent at <see cref="SentAt"/>, the friend arrives at <see cref="Arrival"/>.</summary>
internal readonly record struct DemoInvite(long SentAt, long Arrival, string ReferredBy, ulong Key);
