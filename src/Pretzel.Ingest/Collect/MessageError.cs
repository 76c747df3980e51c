namespace Pretzel.Ingest.Collect;

/// <summary>Why one received message was refused.</summary>
/// <param name="Code">Stable machine-readable code (<c>missing_field</c>, <c>invalid_value</c>, <c>invalid_timestamp</c>, …).</param>
/// <param name="Message">What is wrong, in words.</param>
/// <param name="Field">The offending field as the sender spelled it (e.g. <c>userId</c>), or null when the whole message is at fault.</param>
public sealed record MessageError(string Code, string Message, string? Field);
