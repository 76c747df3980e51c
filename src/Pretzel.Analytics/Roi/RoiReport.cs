using System.Globalization;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Roi;

/// <summary>
/// What <c>pretzel roi</c> and <c>/api/v1/roi</c> answer: one attribution model over the store's journeys
/// (touches are channels, or <c>channel:campaign</c> with <see cref="ByCampaign"/>), joined with the
/// stored ad costs up to the end of the analysis.
/// </summary>
public sealed record RoiReport : IReport
{
    /// <summary>Journey options as for paths; the touch is set by <see cref="ByCampaign"/>.</summary>
    public PathArguments Paths { get; init; } = new();

    /// <summary>The attribution model (default <c>markov</c>).</summary>
    public string? Model { get; init; }

    /// <summary><c>channel</c> (default) or <c>campaign</c>.</summary>
    public string? By { get; init; }

    private bool ByCampaign => By == "campaign";

    private AttributionReport Attribution => new()
    {
        Paths = Paths with { Touch = ByCampaign ? "channel:campaign" : "channel" },
        Models = Model ?? "markov",
    };

    public void Check(DateTime now)
    {
        if (By is not (null or "channel" or "campaign"))
        {
            throw new PathException($"--by {By}: expected channel or campaign");
        }

        if (Paths.Touch is not null)
        {
            throw new PathException("roi reads channels (or channel:campaign with --by campaign): --touch does not apply");
        }

        if ((Model ?? "markov").Contains(',', StringComparison.Ordinal))
        {
            throw new PathException($"--model {Model}: roi takes one model");
        }

        Attribution.Check(now);
    }

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Check(now);
        var attribution = await Attribution.RunAsync(store, now, cancellationToken).ConfigureAwait(false);
        int Column(string name) => attribution.Columns.ToList().IndexOf(name);
        var (channel, conversions, value) = (Column("channel"), Column("conversions"), Column("value"));
        var touches = attribution.Rows.Select(r => new AttributedTouch(
            (string)r[channel]!, Convert.ToDouble(r[conversions], CultureInfo.InvariantCulture), Convert.ToDouble(r[value] ?? 0.0, CultureInfo.InvariantCulture)));

        var costs = await store.ReadCostsAsync(cancellationToken).ConfigureAwait(false);
        var d = store.Dialect;
        var currencies = await store.QueryAsync(
            $"SELECT DISTINCT {d.Text("currency")} AS c FROM events WHERE revenue IS NOT NULL AND currency IS NOT NULL", cancellationToken).ConfigureAwait(false);
        var revenueCurrencies = currencies.Rows.Select(r => r[0] as string).OfType<string>().Where(c => c.Length > 0).ToList();
        var until = DateOnly.FromDateTime(Paths.To is null ? now : Funnels.FunnelArguments.ParseTime(Paths.To));
        try
        {
            var rows = RoiTable.Compute(touches, costs, ByCampaign, until, revenueCurrencies);
            return new ReportTable(RoiRow.Columns, [.. rows.Select(r => r.Values())]);
        }
        catch (RoiException ex)
        {
            // The data, not the options, are at fault; the faces report it like a bad option, naming it.
            throw new PathException(ex.Message);
        }
    }
}
