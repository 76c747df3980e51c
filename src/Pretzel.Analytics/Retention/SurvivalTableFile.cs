using System.Globalization;
using Pretzel.Analytics.Lifetime;
using Pretzel.Analytics.Paths;
using Sylvan.Data.Csv;

namespace Pretzel.Analytics.Retention;

/// <summary>
/// A published or exported survival table (e.g. Fader and Hardie 2007, Table 1): a header, then one row per period
/// (0, 1, …), the first column the period and each other column a cohort's number (or percentage) still active at the
/// start of that period. <c>pretzel retention --fit sbg --survival FILE</c> fits each cohort's first periods and sets the
/// projection beside the rest of the table (a holdout).
/// </summary>
public static class SurvivalTableFile
{
    /// <summary>
    /// The cohorts of the table: name and active counts per period. With <paramref name="size"/>, the values are
    /// percentages of a cohort of that many (count = round(value / 100 × size)); otherwise counts. Throws
    /// <see cref="PathException"/> naming the line and column of a bad value.
    /// </summary>
    public static IReadOnlyList<(string Cohort, long[] Active)> Read(TextReader text, string source, int? size)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Delimiter = null });
        if (csv.FieldCount < 2)
        {
            throw new PathException($"{source}: expected a header with a period column and at least one cohort column");
        }

        var names = Enumerable.Range(1, csv.FieldCount - 1).Select(i => csv.GetName(i).Trim()).ToArray();
        var columns = names.Select(_ => new List<long>()).ToArray();
        while (csv.Read())
        {
            var line = csv.RowNumber + 1L;
            if (!int.TryParse(csv.GetString(0).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var period) || period != columns[0].Count)
            {
                throw new PathException($"{source} line {line}, column {csv.GetName(0)}: expected period {columns[0].Count}, found '{csv.GetString(0)}'");
            }

            for (var c = 0; c < names.Length; c++)
            {
                var raw = c + 1 < csv.RowFieldCount ? csv.GetString(c + 1).Trim() : "";
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || (size is null && value != Math.Floor(value)))
                {
                    throw new PathException($"{source} line {line}, column {names[c]}: '{raw}' is not {(size is null ? "a whole number of people (give --cohort-size for percentages)" : "a percentage")}");
                }

                columns[c].Add(size is { } n ? (long)Math.Round(value / 100 * n, MidpointRounding.AwayFromZero) : (long)value);
            }
        }

        return [.. names.Select((name, c) => (name, columns[c].ToArray()))];
    }

    /// <summary>
    /// Per cohort, periods 0 … (the table's last or <paramref name="horizon"/>): <c>cohort, period, observed_active,
    /// observed_survival, fitted_survival, fitted_retention, in_fit</c> and the fit's <c>alpha, beta, log_likelihood</c>,
    /// fitted on periods 0 … <paramref name="fitPeriods"/> (default all).
    /// </summary>
    public static ReportTable Fit(IReadOnlyList<(string Cohort, long[] Active)> cohorts, int? fitPeriods, int? horizon)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        var rows = new List<object?[]>();
        foreach (var (name, active) in cohorts)
        {
            var fitted = fitPeriods is { } k ? active[..Math.Min(active.Length, k + 1)] : active;
            SbgModel model;
            try
            {
                model = SbgModel.Fit(fitted);
            }
            catch (LifetimeException ex)
            {
                throw new PathException($"cohort {name}: {ex.Message}");
            }

            var last = Math.Max(active.Length - 1, horizon ?? 0);
            for (var t = 0; t <= last; t++)
            {
                rows.Add(
                [
                    name, t, t < active.Length ? active[t] : null, t < active.Length && active[0] > 0 ? RetentionRows.Round((double)active[t] / active[0]) : null,
                    RetentionRows.Round(model.Survival(t)), t == 0 ? null : RetentionRows.Round(model.Retention(t)), t < fitted.Length,
                    RetentionRows.Round(model.Alpha), RetentionRows.Round(model.Beta), RetentionRows.Round(model.LogLikelihood),
                ]);
            }
        }

        return new ReportTable(["cohort", "period", "observed_active", "observed_survival", "fitted_survival", "fitted_retention", "in_fit", "alpha", "beta", "log_likelihood"], rows);
    }
}
