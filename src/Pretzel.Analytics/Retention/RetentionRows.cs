using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Retention;

/// <summary>The rows of <c>pretzel retention</c>, from the cohorts of <see cref="RetentionKernel"/> (or the reference).</summary>
public static class RetentionRows
{
    /// <summary>
    /// The cohort table: per cohort and period k = 0 … (the period holding the end), <c>cohort, period, cohort_size,
    /// active, retention, revenue, cumulative_revenue_per_person, revenue_retention</c> (revenue in period k over revenue
    /// in period 0), preceded by the group column when grouped.
    /// </summary>
    public static ReportTable Table(IReadOnlyList<RetentionCohort> cohorts, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        ArgumentNullException.ThrowIfNull(options);
        var rows = new List<object?[]>();
        foreach (var cohort in cohorts)
        {
            var cumulative = 0.0;
            for (var k = 0; k < cohort.Active.Length; k++)
            {
                cumulative += cohort.Revenue[k];
                object?[] values =
                [
                    LocalCalendar.Label(cohort.Cohort, options.Unit), k, cohort.Size, cohort.Active[k],
                    Round((double)cohort.Active[k] / cohort.Size), Round(cohort.Revenue[k]), Round(cumulative / cohort.Size),
                    cohort.Revenue[0] != 0 ? Round(cohort.Revenue[k] / cohort.Revenue[0]) : null,
                ];
                rows.Add(options.By is null ? values : [cohort.Group, .. values]);
            }
        }

        string[] columns = ["cohort", "period", "cohort_size", "active", "retention", "revenue", "cumulative_revenue_per_person", "revenue_retention"];
        return new ReportTable(options.By is null ? columns : [GroupColumn(options), .. columns], rows);
    }

    /// <summary>
    /// The summary (<c>--summary</c>): per cohort, <c>people, repeaters, repeat_rate</c> (share with a return event after
    /// the start event), <c>median_days_between</c> (consecutive return events), <c>churned, churn_rate</c> (no event in
    /// the churn window before the end), then one <c>(all)</c> row per group.
    /// </summary>
    public static ReportTable Summary(IReadOnlyList<RetentionCohort> cohorts, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        ArgumentNullException.ThrowIfNull(options);
        var rows = new List<object?[]>();
        object?[] Row(string? group, string cohort, long people, long repeaters, IEnumerable<double> gaps, long churned)
        {
            object?[] values =
            [
                cohort, people, repeaters, people > 0 ? Round((double)repeaters / people) : null, Median(gaps) is { } m ? Round(m) : null,
                churned, people > 0 ? Round((double)churned / people) : null,
            ];
            return options.By is null ? values : [group, .. values];
        }

        foreach (var group in cohorts.GroupBy(c => c.Group))
        {
            foreach (var cohort in group)
            {
                rows.Add(Row(group.Key, LocalCalendar.Label(cohort.Cohort, options.Unit), cohort.Size, cohort.Repeaters, cohort.Gaps, cohort.Churned));
            }

            rows.Add(Row(group.Key, "(all)", group.Sum(c => c.Size), group.Sum(c => c.Repeaters), group.SelectMany(c => c.Gaps), group.Sum(c => c.Churned)));
        }

        string[] columns = ["cohort", "people", "repeaters", "repeat_rate", "median_days_between", "churned", "churn_rate"];
        return new ReportTable(options.By is null ? columns : [GroupColumn(options), .. columns], rows);
    }

    /// <summary>The name of the group column: <c>first_touch_channel</c>, or <c>segment</c> for a segmentation.</summary>
    private static string GroupColumn(RetentionOptions options) => options.Segments is not null ? "segment" : options.By!;

    /// <summary>The median (the mean of the middle two for an even count), or null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    internal static double Round(double value)
    {
        var rounded = Math.Round(value, 6);
        return rounded == 0 ? 0 : rounded;
    }
}
