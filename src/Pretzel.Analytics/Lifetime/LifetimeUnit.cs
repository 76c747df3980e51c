namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// The unit in which recency (t_x), age (T) and horizons are measured. Days are UTC calendar days; a week is seven of
/// them, so ages in weeks are fractional (38.86 weeks = 272 days).
/// </summary>
public enum LifetimeUnit
{
    Day,
    Week,
}
