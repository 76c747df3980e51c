using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;

namespace Pretzel.Analytics.Aarrr;

/// <summary>The rows of <c>pretzel aarrr</c>: one per period, from <see cref="AarrrKernel"/> (or the reference).</summary>
public static class AarrrRows
{
    public static IReadOnlyList<string> Columns { get; } =
        ["period", "acquired", "activated", "activation_rate", "retained", "revenue", "paying", "referrers", "referred"];

    /// <summary>
    /// <c>period, acquired, activated, activation_rate</c> (of the people acquired in the period, the share who
    /// activated in it too; null when nobody was acquired), <c>retained, revenue, paying, referrers, referred</c>.
    /// </summary>
    public static ReportTable Table(IReadOnlyList<AarrrPeriod> periods, AarrrOptions options)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(options);
        var rows = periods.Select(p => new object?[]
        {
            LocalCalendar.Label(p.Period, options.Unit), p.Acquired, p.Activated,
            p.Acquired > 0 ? RetentionRows.Round((double)p.ActivatedOnArrival / p.Acquired) : null,
            p.Retained, Math.Round(p.Revenue, 2) is var r && r == 0 ? 0.0 : r, p.Paying, p.Referrers, p.Referred,
        }).ToList();
        return new ReportTable(Columns, rows);
    }
}
