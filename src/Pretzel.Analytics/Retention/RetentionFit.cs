using Pretzel.Analytics.Lifetime;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Retention;

/// <summary>
/// <c>pretzel retention --fit sbg</c>: the shifted-beta-geometric model (<see cref="SbgModel"/>) fitted to every cohort's
/// survival at once. A person survives to period k of their cohort when they are active in period k or later; each
/// cohort's survival table runs over its complete periods (the period holding the end of the analysis is still
/// open, so it is left out), and those still alive at its last complete period are censored. The log-likelihood is
/// the sum of the cohorts' (Fader and Hardie 2007, eq. 6, per cohort), maximised over α and β.
/// </summary>
public static class RetentionFit
{
    /// <summary>Each cohort's survival table: people alive at the start of periods 0 … its last complete period.</summary>
    public static IReadOnlyList<long[]> SurvivalTables(IReadOnlyList<RetentionCohort> cohorts)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        var tables = new List<long[]>();
        foreach (var cohort in cohorts)
        {
            var complete = cohort.Active.Length - 1;
            if (complete < 2 || cohort.Size == 0)
            {
                continue;
            }

            var alive = new long[complete];
            alive[0] = cohort.Size;
            foreach (var last in cohort.LastActive)
            {
                for (var k = 1; k <= Math.Min(last, complete - 1); k++)
                {
                    alive[k]++;
                }
            }

            tables.Add(alive);
        }

        return tables;
    }

    /// <summary>The fit over all the tables; throws <see cref="PathException"/> when they hold no loss to fit.</summary>
    public static SbgModel FitAll(IReadOnlyList<long[]> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (!tables.Any(t => t[^1] < t[0]))
        {
            throw new PathException(tables.Count == 0
                ? "--fit sbg: no cohort has two complete periods yet; use shorter periods (--cohort week) or more data"
                : "--fit sbg: nobody was lost in any complete period, so there is no churn to fit");
        }

        double[][] starts = [[1, 1], [0.5, 2], [2, 0.5]];
        var (p, value) = LogScaleMinimizer.Minimize(q =>
        {
            var model = new SbgModel(q[0], q[1]);
            return -tables.Sum(model.LogLikelihoodOf);
        }, starts);
        return new SbgModel(p[0], p[1]) { LogLikelihood = -value };
    }

    /// <summary>
    /// Rows per period k = 0 … (the oldest cohort's last complete period + <paramref name="horizon"/>, default 12):
    /// <c>period, people_observed</c> (in cohorts whose period k is complete), <c>observed_survival</c> (their share
    /// alive), <c>fitted_survival, fitted_retention</c>, and the fit's <c>alpha, beta, log_likelihood</c> on every row.
    /// </summary>
    public static ReportTable Table(IReadOnlyList<RetentionCohort> cohorts, RetentionOptions options, int? horizon)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        ArgumentNullException.ThrowIfNull(options);
        var tables = SurvivalTables(cohorts);
        var model = FitAll(tables);
        var observed = tables.Max(t => t.Length);
        var rows = new List<object?[]>();
        for (var k = 0; k < observed + (horizon ?? 12); k++)
        {
            var reaching = tables.Where(t => t.Length > k).ToList();
            var people = reaching.Sum(t => t[0]);
            rows.Add(
            [
                k, k < observed ? people : null, k < observed && people > 0 ? RetentionRows.Round((double)reaching.Sum(t => t[k]) / people) : null,
                RetentionRows.Round(model.Survival(k)), k == 0 ? null : RetentionRows.Round(model.Retention(k)),
                RetentionRows.Round(model.Alpha), RetentionRows.Round(model.Beta), RetentionRows.Round(model.LogLikelihood),
            ]);
        }

        return new ReportTable(["period", "people_observed", "observed_survival", "fitted_survival", "fitted_retention", "alpha", "beta", "log_likelihood"], rows);
    }
}
