using MathNet.Numerics;

namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// The shifted-beta-geometric (sBG) model of contractual retention (Fader and Hardie 2007, "How to Project Customer
/// Retention", Journal of Interactive Marketing 21(1)): at the end of each period an active customer cancels with
/// probability θ, and θ ~ Beta(α, β) across customers. Fitted by maximum likelihood on a cohort's survival table
/// (how many were active at the start of periods 0, 1, …, n); projects survival and retention for any later period.
/// Formulas: docs/analyses/clv.md#sbg.
/// </summary>
public sealed record SbgModel(double Alpha, double Beta)
{
    /// <summary>The log-likelihood of the survival table the model was fitted on (NaN for a model given by hand).</summary>
    public double LogLikelihood { get; init; } = double.NaN;

    /// <summary>
    /// The maximum-likelihood fit to <paramref name="activeAtStart"/>: the number of the cohort still active at the
    /// start of period 0 (everyone), 1, …, n. Each drop from one count to the next is the customers lost in that period;
    /// those still active at the start of period n are censored (their lifetime is only known to be longer). Throws
    /// <see cref="LifetimeException"/> unless the counts start above 0, never rise, and fall at least once.
    /// </summary>
    public static SbgModel Fit(IReadOnlyList<long> activeAtStart)
    {
        ArgumentNullException.ThrowIfNull(activeAtStart);
        Check(activeAtStart);
        double[][] starts = [[1, 1], [0.5, 2], [2, 0.5]];
        var (p, value) = LogScaleMinimizer.Minimize(q => -LogLikelihoodOf(activeAtStart, q[0], q[1]), starts);
        return new SbgModel(p[0], p[1]) { LogLikelihood = -value };
    }

    /// <summary>The log-likelihood of a survival table (as for <see cref="Fit"/>) under this model.</summary>
    public double LogLikelihoodOf(IReadOnlyList<long> activeAtStart)
    {
        ArgumentNullException.ThrowIfNull(activeAtStart);
        Check(activeAtStart, needChurn: false);
        return LogLikelihoodOf(activeAtStart, Alpha, Beta);
    }

    /// <summary>P(T = t) = B(α + 1, β + t − 1) / B(α, β): the probability of cancelling in period t (t ≥ 1).</summary>
    public double ChurnProbability(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        return Math.Exp(SpecialFunctions.BetaLn(Alpha + 1, Beta + period - 1) - SpecialFunctions.BetaLn(Alpha, Beta));
    }

    /// <summary>S(t) = B(α, β + t) / B(α, β): the share of the cohort still active at the start of period t (S(0) = 1).</summary>
    public double Survival(int period)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(period);
        return Math.Exp(SpecialFunctions.BetaLn(Alpha, Beta + period) - SpecialFunctions.BetaLn(Alpha, Beta));
    }

    /// <summary>r(t) = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1): the share of those active at period t − 1 still active at t (t ≥ 1).</summary>
    public double Retention(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        return (Beta + period - 1) / (Alpha + Beta + period - 1);
    }

    /// <summary>Periods 0..<paramref name="lastPeriod"/>: survival, retention and the expected active of a cohort of <paramref name="cohort"/>.</summary>
    public IReadOnlyList<SbgPeriod> Project(int lastPeriod, double cohort)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastPeriod);
        return [.. Enumerable.Range(0, lastPeriod + 1).Select(t =>
        {
            var survival = Survival(t);
            return new SbgPeriod(t, survival, t == 0 ? null : Retention(t), cohort * survival);
        })];
    }

    private static double LogLikelihoodOf(IReadOnlyList<long> active, double alpha, double beta)
    {
        // Lost in period t: n(t−1) − n(t), each with P(T = t); still active at the start of the last period: S(n).
        var logBeta = SpecialFunctions.BetaLn(alpha, beta);
        double sum = 0;
        for (var t = 1; t < active.Count; t++)
        {
            var lost = active[t - 1] - active[t];
            if (lost > 0)
            {
                sum += lost * (SpecialFunctions.BetaLn(alpha + 1, beta + t - 1) - logBeta);
            }
        }

        var last = active.Count - 1;
        return active[last] > 0 ? sum + (active[last] * (SpecialFunctions.BetaLn(alpha, beta + last) - logBeta)) : sum;
    }

    private static void Check(IReadOnlyList<long> active, bool needChurn = true)
    {
        if (active.Count < 2)
        {
            throw new LifetimeException($"a survival table needs the cohort at the start of period 0 and at least one later period; got {active.Count} count{(active.Count == 1 ? "" : "s")}");
        }

        if (active[0] <= 0)
        {
            throw new LifetimeException($"the cohort at the start of period 0 must be positive; got {active[0]}");
        }

        for (var t = 1; t < active.Count; t++)
        {
            if (active[t] < 0 || active[t] > active[t - 1])
            {
                throw new LifetimeException($"period {t}: {active[t]} active after {active[t - 1]}; the counts must not be negative or rise");
            }
        }

        if (needChurn && active[^1] == active[0])
        {
            throw new LifetimeException("no one was lost in the observed periods: the sBG model needs at least one cancellation");
        }
    }
}
