using System.Globalization;
using Pretzel.Core.Events;

namespace Pretzel.Storage.ClickHouse;

// What the analyses read beyond SQL: the event columns, conditions evaluated by the store, and ad costs.
public sealed partial class ClickHouseEventStore
{
    /// <inheritdoc />
    public async Task<EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default)
    {
        return await _http.SendStreamingAsync(Main, ClickHouseColumnReader.ColumnsSql, ReadParameters(), ClickHouseColumnReader.ParseAsync, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<System.Collections.BitArray> MatchEventsAsync(EventColumns columns, string condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        var body = await _http.SendAsync(Main, ClickHouseColumnReader.MatchSql(condition), ReadParameters(), cancellationToken).ConfigureAwait(false);
        return ClickHouseColumnReader.Match(columns, body);
    }

    private Dictionary<string, string> ReadParameters() => new(StringComparer.Ordinal)
    {
        ["database"] = Options.Database,
        ["readonly"] = "1",
        ["wait_end_of_query"] = "1",
    };

    /// <inheritdoc />
    public async Task<int> UpsertCostsAsync(IReadOnlyList<Pretzel.Core.Costs.CostEntry> costs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.Count == 0)
        {
            return 0;
        }

        // Versions grow with time, and within one call with the entry's position: the last entry for a key wins.
        var version = (ulong)ToMicros(DateTime.UtcNow) * 1000;
        var rows = new System.Text.StringBuilder();
        foreach (var (entry, i) in costs.Select((c, i) => (c, i)))
        {
            rows.Append(entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\t')
                .Append(ClickHouseTsv.Escape(entry.Channel)).Append('\t')
                .Append(ClickHouseTsv.Escape(entry.Campaign)).Append('\t')
                .Append(entry.Cost.ToString("R", CultureInfo.InvariantCulture)).Append('\t')
                .Append(ClickHouseTsv.Escape(entry.Currency)).Append('\t')
                .Append((version + (ulong)i).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        await _http.InsertAsync(Main, "INSERT INTO costs (date, channel, campaign, cost, currency, version) FORMAT TabSeparated",
            System.Text.Encoding.UTF8.GetBytes(rows.ToString()), DatabaseParameters(), cancellationToken, retry: true).ConfigureAwait(false);
        return costs.Count;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Pretzel.Core.Costs.CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default)
    {
        var result = await SelectAsync(Main, "SELECT toString(date), channel, campaign, cost, currency FROM costs FINAL ORDER BY date, channel, campaign", cancellationToken).ConfigureAwait(false);
        return [.. result.Rows.Select(r => new Pretzel.Core.Costs.CostEntry(
            DateOnly.ParseExact((string)r[0]!, "yyyy-MM-dd", CultureInfo.InvariantCulture), (string)r[1]!, (string)r[2]!,
            Convert.ToDouble(r[3], CultureInfo.InvariantCulture), (string)r[4]!))];
    }
}
