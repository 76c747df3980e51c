using MathNet.Numerics;

namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// The Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base
/// Analysis", JMR 42(4); Fader and Hardie, "The Gamma-Gamma Model of Monetary Value", 2013): a customer's transaction
/// values are Gamma(p, ν) around their mean p/ν, and ν ~ Gamma(q, γ) across customers. Fitted by maximum likelihood on
/// the mean repeat value z̄ of the customers with x &gt; 0 (and z̄ &gt; 0). Formulas: docs/analyses/clv.md#gamma-gamma.
/// </summary>
/// <param name="P">Shape p of the transaction values around a customer's mean.</param>
/// <param name="Q">Shape q of the distribution of ν across customers.</param>
/// <param name="Gamma">Scale γ of the distribution of ν across customers (in money).</param>
public sealed record GammaGammaModel(double P, double Q, double Gamma)
{
    /// <summary>The log-likelihood of the z̄ values the model was fitted on (NaN for a model given by hand).</summary>
    public double LogLikelihood { get; init; } = double.NaN;

    /// <summary>How many customers the model was fitted on (those with x &gt; 0 and z̄ &gt; 0).</summary>
    public int Customers { get; init; }

    /// <summary>
    /// The maximum-likelihood fit on the customers with x &gt; 0 and z̄ &gt; 0 (the others carry no spend information and are
    /// left out). Needs at least two of them. Throws <see cref="LifetimeException"/>.
    /// </summary>
    public static GammaGammaModel Fit(IReadOnlyCollection<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var used = customers.Where(c => c.X > 0 && c.Zbar > 0 && double.IsFinite(c.Zbar))
            .GroupBy(c => (c.X, c.Zbar)).Select(g => (g.Key.X, g.Key.Zbar, Count: (double)g.Count()))
            .OrderBy(g => g.X).ThenBy(g => g.Zbar).ToList();
        var count = (int)used.Sum(g => g.Count);
        if (count < 2)
        {
            throw new LifetimeException($"{count} customer{(count == 1 ? "" : "s")} with a repeat purchase of known value: the Gamma-Gamma spend model needs at least 2");
        }

        // lifetimes starts from p = q = γ = 1; two more starts put γ on the scale of the money.
        var mean = used.Sum(g => g.Zbar * g.Count) / count;
        double[][] starts = [[1, 1, 1], [1, 2, mean], [4, 4, 2 * mean]];
        var (p, value) = LogScaleMinimizer.Minimize(q => -LogLikelihoodOf(used, q[0], q[1], q[2]), starts);
        return new GammaGammaModel(p[0], p[1], p[2]) { LogLikelihood = -value, Customers = count };
    }

    /// <summary>
    /// The log-likelihood of the customers with x &gt; 0 and z̄ &gt; 0 in <paramref name="customers"/>: the sum of
    /// ln f(z̄ | p, q, γ, x), the density of the mean of x values (see the docs; the definition of lifetimes and R's BTYD).
    /// </summary>
    public double LogLikelihoodOf(IEnumerable<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return LogLikelihoodOf([.. customers.Where(c => c.X > 0 && c.Zbar > 0).Select(c => (c.X, c.Zbar, 1.0))], P, Q, Gamma);
    }

    /// <summary>
    /// E[Z | p, q, γ, x, z̄] = (γ + x·z̄)·p / (p·x + q − 1): the customer's expected mean transaction value, a weighted
    /// average of the population mean p·γ/(q − 1) and their own z̄. For x = 0 it is the population mean. NaN when
    /// p·x + q ≤ 1 (the mean does not exist).
    /// </summary>
    public double ExpectedAverageSpend(int x, double zbar)
    {
        var denominator = (P * x) + Q - 1;
        return denominator > 0 ? (Gamma + (x * (x > 0 ? zbar : 0))) * P / denominator : double.NaN;
    }

    private static double LogLikelihoodOf(IReadOnlyList<(int X, double Zbar, double Count)> used, double p, double q, double gamma)
    {
        // ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
        var constant = (q * Math.Log(gamma)) - SpecialFunctions.GammaLn(q);
        double sum = 0;
        var lastX = -1;
        double byX = 0;
        foreach (var (x, zbar, count) in used)
        {
            var px = p * x;
            if (x != lastX)
            {
                byX = constant + SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) + (px * Math.Log(x));
                lastX = x;
            }

            sum += count * (byX + ((px - 1) * Math.Log(zbar)) - ((px + q) * Math.Log(gamma + (x * zbar))));
        }

        return sum;
    }
}
