using MathNet.Numerics;

namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// The BG/NBD model of Fader, Hardie and Lee (2005), "Counting Your Customers the Easy Way", Marketing Science
/// 24(2): while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out
/// with probability p ~ Beta(a, b). Fitted by maximum likelihood on (x, t_x, T) summaries; all times in one unit.
/// Formulas: docs/analyses/clv.md#bgnbd.
/// </summary>
/// <param name="R">Shape r of the purchase-rate distribution.</param>
/// <param name="Alpha">Scale α of the purchase-rate distribution, in the summaries' unit of time.</param>
/// <param name="A">Beta parameter a of the drop-out probability.</param>
/// <param name="B">Beta parameter b of the drop-out probability.</param>
public sealed record BgNbdModel(double R, double Alpha, double A, double B)
{
    // Within this distance of a = 1 (or of a + b + x − 1 = 0) the closed form is 0/0; the cancelled series takes over.
    private const double Removable = 1e-4;

    /// <summary>The log-likelihood of the data the model was fitted on (NaN for a model given by hand).</summary>
    public double LogLikelihood { get; init; } = double.NaN;

    /// <summary>
    /// The maximum-likelihood fit. Needs at least one customer with a repeat transaction (without one the drop-out
    /// parameters run off to infinity). Deterministic. Throws <see cref="LifetimeException"/> for unusable data.
    /// </summary>
    public static BgNbdModel Fit(IReadOnlyCollection<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        Check(customers);
        var groups = Group(customers);
        var scale = Math.Max(customers.Max(c => c.T), 1e-9) / 10;

        // lifetimes' start (every parameter 1 after scaling time so that the oldest customer is 10 old), and two more.
        double[][] starts = [[1, scale, 1, 1], [0.5, scale, 0.5, 2], [0.25, scale / 4, 1, 4]];
        var (p, value) = LogScaleMinimizer.Minimize(q => -LogLikelihoodOf(groups, q[0], q[1], q[2], q[3]), starts);
        return new BgNbdModel(p[0], p[1], p[2], p[3]) { LogLikelihood = -value };
    }

    /// <summary>The log-likelihood of <paramref name="customers"/> under this model (a sum over customers).</summary>
    public double LogLikelihoodOf(IReadOnlyCollection<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        Check(customers, needRepeat: false);
        return LogLikelihoodOf(Group(customers), R, Alpha, A, B);
    }

    /// <summary>
    /// P(alive | x, t_x, T) = 1 / (1 + [x &gt; 0] · a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)): 1 for a customer who
    /// never bought again. <paramref name="age"/> is T.
    /// </summary>
    public double ProbabilityAlive(int x, double tx, double age)
    {
        if (x == 0)
        {
            return 1;
        }

        var log = Math.Log(A) - Math.Log(B + x - 1) + ((R + x) * (Math.Log(Alpha + age) - Math.Log(Alpha + tx)));
        return 1 / (1 + Math.Exp(log));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T]: the purchases expected in the next <paramref name="horizon"/> units from a customer with this
    /// history (FHL 2005, eq. 10); <paramref name="age"/> is T. With x = t_x = T = 0 it is E[X(t)], the purchases of a new
    /// customer in their first t.
    /// </summary>
    public double ExpectedPurchases(int x, double tx, double age, double horizon)
    {
        if (horizon <= 0)
        {
            return 0;
        }

        // (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t), 1 − z = (α+T)/(α+T+t).
        // Euler's transformation turns the bracket into 1 − (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z). Of the two, the
        // one whose series starts with smaller terms (as Hypergeometric chooses) is taken here, with its own power of
        // (1 − z), so that no huge logarithms cancel: the Euler form for many repeats, the direct one for a and b in the
        // millions.
        var z = horizon / (Alpha + age + horizon);
        var logRemaining = -Log1P(horizon / (Alpha + age));
        var (first, second, c) = (A + B - 1 - R, A - 1, A + B + x - 1);
        double value;
        if (Math.Abs(second) >= Removable && Math.Abs(c) >= Removable)
        {
            var euler = Math.Abs(first * second) < Math.Abs((R + x) * (B + x));
            var (log, sign) = euler ? Hypergeometric.LogGauss2F1(first, second, c, z) : Hypergeometric.LogGauss2F1(R + x, B + x, c, z);
            log += (euler ? second : R + x) * logRemaining;
            value = c / second * (sign > 0 ? -ExpM1(log) : 1 + (sign < 0 ? Math.Exp(log) : 0));
        }
        else
        {
            // The same series with the factor (a−1)/(a+b+x−1) cancelled from every term: exact at a = 1.
            var head = second == 0 ? -logRemaining : -ExpM1(second * logRemaining) / second;
            value = (c * head) - (Math.Exp(second * logRemaining) * Hypergeometric.RemainderOverFirst(first, second, c, z));
        }

        return value * ProbabilityAlive(x, tx, age);
    }

    private static double LogLikelihoodOf(IReadOnlyList<(int X, double Tx, double T, double Count)> groups, double r, double alpha, double a, double b)
    {
        // The Γ terms depend on x only: computed once per distinct x (a few dozen), not per customer.
        var shared = LogGammaTerms(r, a, b);
        double sum = 0;
        var lastX = -1;
        double byX = 0;
        foreach (var (x, tx, t, count) in groups)
        {
            if (x != lastX)
            {
                byX = shared(x) + (r * Math.Log(alpha));
                lastX = x;
            }

            var alive = -(r + x) * Math.Log(alpha + t);
            var left = x == 0 ? double.NegativeInfinity : Math.Log(a) - Math.Log(b + x - 1) - ((r + x) * Math.Log(alpha + tx));
            sum += count * (byX + LogAddExp(alive, left));
        }

        return sum;
    }

    // ln Γ(r+x) − ln Γ(r) + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x).
    private static Func<int, double> LogGammaTerms(double r, double a, double b)
    {
        var constant = -SpecialFunctions.GammaLn(r) + SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(b);
        return x => constant + SpecialFunctions.GammaLn(r + x) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x);
    }

    // e^x − 1 and ln(1 + x) without the cancellation near x = 0 (Kahan's trick; .NET's double.ExpM1 is plain Exp(x) − 1).
    private static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        return u == 1 ? x : u - 1 == -1 ? -1 : double.IsPositiveInfinity(u) ? u : (u - 1) * x / Math.Log(u);
    }

    private static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double LogAddExp(double u, double v)
    {
        if (double.IsNegativeInfinity(v))
        {
            return u;
        }

        var max = Math.Max(u, v);
        return max + Math.Log(Math.Exp(u - max) + Math.Exp(v - max));
    }

    /// <summary>Customers with the same (x, t_x, T) contribute the same term: one per group, by x.</summary>
    private static List<(int X, double Tx, double T, double Count)> Group(IEnumerable<CustomerSummary> customers) =>
        [.. customers.GroupBy(c => (c.X, c.Tx, c.T)).Select(g => (g.Key.X, g.Key.Tx, g.Key.T, (double)g.Count()))
            .OrderBy(g => g.X).ThenBy(g => g.Tx).ThenBy(g => g.T)];

    internal static void Check(IReadOnlyCollection<CustomerSummary> customers, bool needRepeat = true)
    {
        if (customers.Count == 0)
        {
            throw new LifetimeException("no customers: the BG/NBD model needs at least one");
        }

        foreach (var c in customers)
        {
            if (c.X < 0 || !(c.Tx >= 0) || !(c.T >= c.Tx) || !double.IsFinite(c.T) || (c.X == 0 && c.Tx != 0))
            {
                throw new LifetimeException($"customer {c.Id}: expected x ≥ 0, 0 ≤ t_x ≤ T and t_x = 0 when x = 0; got x = {c.X}, t_x = {c.Tx}, T = {c.T}");
            }
        }

        if (needRepeat && customers.All(c => c.X == 0))
        {
            throw new LifetimeException($"none of the {customers.Count:N0} customers bought again: the BG/NBD model needs repeat purchases");
        }
    }
}
