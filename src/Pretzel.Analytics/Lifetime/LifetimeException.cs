namespace Pretzel.Analytics.Lifetime;

/// <summary>A lifetime model cannot be fitted or its input read as asked (no customers, no repeat purchases, a bad header); the message says why.</summary>
public sealed class LifetimeException(string message) : Exception(message);
