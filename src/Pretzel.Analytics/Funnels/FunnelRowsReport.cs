using Pretzel.Analytics.Paths;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Funnels;

/// <summary>A funnel with its options already parsed, as a report (so that it can run once per segment, see <c>SegmentedReport</c>).</summary>
public sealed record FunnelRowsReport(FunnelOptions Options) : IReport
{
    public void Check(DateTime now)
    {
        try
        {
            Options.Validate();
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }
    }

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        var rows = await FunnelQuery.RunAsync(store, Options, cancellationToken).ConfigureAwait(false);
        return new ReportTable(FunnelRow.ColumnsBy(Options.By), [.. rows.Select(r => r.ValuesBy(Options.By))]);
    }
}
