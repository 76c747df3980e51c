using Pretzel.Core.Costs;

namespace Pretzel.Analytics.Roi;

/// <summary>One touch's attributed conversions and revenue, from any attribution model.</summary>
public sealed record AttributedTouch(string Touch, double Conversions, double Value);

/// <summary>A line of the ROI report (see docs/analyses/attribution.md#roi).</summary>
public sealed record RoiRow(string Channel, string? Campaign, double? Cost, double Conversions, double Revenue, double? Cpa, double? Roas, double? Romi)
{
    public static IReadOnlyList<string> Columns { get; } = ["channel", "campaign", "cost", "conversions", "revenue", "cpa", "roas", "romi"];

    public object?[] Values() => [Channel, Campaign, Cost, Conversions, Revenue, Cpa, Roas, Romi];
}

/// <summary>Costs and ROI cannot be put together as asked (e.g. mixed currencies); the message says why.</summary>
public sealed class RoiException(string message) : Exception(message);

/// <summary>
/// Joins attributed conversions and revenue with ad costs. By channel (touches are channels) or by
/// campaign (touches are <c>channel:campaign</c>). A channel or campaign with costs but no conversions
/// still gets its row: spend that earned nothing is the first thing to see. Without any cost entry the
/// cost is unknown (empty), not zero, and so are CPA, ROAS and ROMI.
/// <list type="bullet">
/// <item><c>cpa</c> = cost ÷ conversions; <c>roas</c> = revenue ÷ cost; <c>romi</c> = (revenue − cost) ÷ cost.</item>
/// <item>All costs must be in one currency, the same as the events' revenue: a mix is an error, never a silent sum.</item>
/// </list>
/// </summary>
public static class RoiTable
{
    public static IReadOnlyList<RoiRow> Compute(IEnumerable<AttributedTouch> attributed, IReadOnlyList<CostEntry> costs, bool byCampaign,
        DateOnly? until, IReadOnlyCollection<string> revenueCurrencies)
    {
        ArgumentNullException.ThrowIfNull(attributed);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(revenueCurrencies);
        var kept = costs.Where(c => until is not { } end || c.Date <= end).ToList();
        var currencies = kept.Select(c => c.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (currencies.Count > 1)
        {
            throw new RoiException($"the costs are in {string.Join(" and ", currencies)}: convert them to one currency before comparing them with revenue");
        }

        if (currencies.Count == 1 && revenueCurrencies.Count > 0 && !revenueCurrencies.SequenceEqual(currencies, StringComparer.Ordinal))
        {
            throw new RoiException($"the costs are in {currencies[0]} but revenue is in {string.Join(" and ", revenueCurrencies.Order(StringComparer.Ordinal))}: ROI needs one currency");
        }

        var spend = kept.GroupBy(c => byCampaign ? (c.Channel, Campaign: c.Campaign.Length == 0 ? "(none)" : c.Campaign) : (c.Channel, Campaign: ""))
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Cost));
        var earned = new Dictionary<(string Channel, string Campaign), (double Conversions, double Value)>();
        foreach (var touch in attributed)
        {
            var key = byCampaign && touch.Touch.IndexOf(':', StringComparison.Ordinal) is var at and >= 0
                ? (touch.Touch[..at], touch.Touch[(at + 1)..])
                : (touch.Touch, "");
            var (conversions, value) = earned.GetValueOrDefault(key);
            earned[key] = (conversions + touch.Conversions, value + touch.Value);
        }

        return [.. earned.Keys.Union(spend.Keys)
            .Select(key =>
            {
                var (conversions, revenue) = earned.GetValueOrDefault(key);
                double? cost = spend.TryGetValue(key, out var c) ? Math.Round(c, 6) : null;
                return new RoiRow(key.Channel, byCampaign ? key.Campaign : null, cost, Math.Round(conversions, 6), Math.Round(revenue, 6),
                    cost is { } k && conversions > 0 ? Math.Round(k / conversions, 6) : null,
                    cost is > 0 ? Math.Round(revenue / cost.Value, 6) : null,
                    cost is > 0 ? Math.Round((revenue - cost.Value) / cost.Value, 6) : null);
            })
            .OrderByDescending(r => r.Cost ?? -1).ThenByDescending(r => r.Revenue).ThenBy(r => r.Channel, StringComparer.Ordinal).ThenBy(r => r.Campaign, StringComparer.Ordinal)];
    }
}
