namespace Pretzel.Core.Costs;

/// <summary>
/// What was spent on one channel (and campaign, or "" for the channel as a whole) on one day, in one
/// currency. A store keeps one entry per (date, channel, campaign): importing it again replaces it.
/// </summary>
public sealed record CostEntry(DateOnly Date, string Channel, string Campaign, double Cost, string Currency);
