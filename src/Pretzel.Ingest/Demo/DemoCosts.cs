using Pretzel.Core.Costs;
using Pretzel.Core.Events;

namespace Pretzel.Ingest.Demo;

/// <summary>
/// The ad costs of the demo: every paid touch (a visit from paid search, paid social, display or an
/// affiliate) costs its campaign's price per visit (<see cref="DemoGroundTruth.PricePerVisit"/>), summed per
/// day, channel and campaign, in euros. Counted from the stored events (whose channels the import
/// derived), so the costs match the data exactly.
/// </summary>
public static class DemoCosts
{
    public static IReadOnlyList<CostEntry> From(EventColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var spend = new Dictionary<(DateOnly Day, string Channel, string Campaign), double>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns.Channel[i] is { } channel && DemoGroundTruth.PricePerVisit(channel, columns.Campaign[i]) is { } price)
            {
                var key = (DateOnly.FromDateTime(EventTime.FromMicros(columns.Micros[i])), channel, columns.Campaign[i] ?? "");
                spend[key] = spend.GetValueOrDefault(key) + price;
            }
        }

        return [.. spend.OrderBy(kv => kv.Key.Day).ThenBy(kv => kv.Key.Channel, StringComparer.Ordinal).ThenBy(kv => kv.Key.Campaign, StringComparer.Ordinal)
            .Select(kv => new CostEntry(kv.Key.Day, kv.Key.Channel, kv.Key.Campaign, Math.Round(kv.Value, 2), "EUR"))];
    }
}
