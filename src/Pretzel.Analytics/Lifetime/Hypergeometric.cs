using MathNet.Numerics;

namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments and z ≤ 1, which the BG/NBD conditional
/// expectation needs. MathNet.Numerics has no ₂F₁, so it is summed here:
/// <list type="bullet">
/// <item>0 &lt; z ≤ 0.9: the Gauss series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ, or Euler's transformation
/// (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z) when its terms start smaller. lifetimes switches to the Euler form when
/// SciPy's direct value overflows, which for the BG/NBD happens with many repeat purchases; here the choice is made
/// before anything overflows, and also goes the other way (a and b in the millions, when the drop-out probability
/// hardly varies between customers and the Euler terms would overflow).</item>
/// <item>0.9 &lt; z &lt; 1: the connection formula in 1 − z (Abramowitz and Stegun 15.3.6), two series in 1 − z &lt; 0.1
/// that converge in a few dozen terms; unless c − a − b lies within 10⁻³ of an integer (where its two halves cancel
/// catastrophically), a parameter exceeds 1,000 in size, or the halves cancel anyway (their sum below 10⁻⁴ of their
/// sizes: ln Γ's last digits would show), when the series above is summed instead (about 36/(1 − z) terms: 0.4 ms at
/// z = 0.9999).</item>
/// <item>z &lt; 0: Pfaff's transformation (1 − z)^(−a) ₂F₁(a, c − b; c; z/(z − 1)), whose argument lies in (0, 1).</item>
/// <item>z = 1: Gauss's theorem Γ(c)Γ(c − a − b)/(Γ(c − a)Γ(c − b)), for c − a − b &gt; 0.</item>
/// <item>a or b a non-positive integer: the polynomial, summed exactly to its last term.</item>
/// </list>
/// Series are summed with compensated (Neumaier) summation until the tail bound |tₙ|·ρ/(1 − ρ) is below 10⁻¹⁷ of the
/// sum, ρ a bound on every later term ratio (<see cref="RatioBound"/>); with a running scale, so that the result comes
/// as a logarithm (<see cref="LogGauss2F1"/>) even where ₂F₁ itself overflows a double.
/// </summary>
internal static class Hypergeometric
{
    /// <summary>Past this many terms (about a second) a series is given up; only z within ~4·10⁻⁷ of 1 needs that many.</summary>
    internal const int MaxTerms = 100_000_000;

    private const double Epsilon = 1e-17;
    private const double Rescale = 1e250;
    private const double NearOneLimit = 1_000;
    private static readonly double LogRescale = Math.Log(Rescale);

    /// <summary>₂F₁(a, b; c; z). Throws <see cref="ArgumentOutOfRangeException"/> outside its domain (z &gt; 1, c a pole).</summary>
    internal static double Gauss2F1(double a, double b, double c, double z)
    {
        var (log, sign) = LogGauss2F1(a, b, c, z);
        return sign * Math.Exp(log);
    }

    /// <summary>
    /// ln |₂F₁(a, b; c; z)| and its sign (0 when it is 0), computed without overflow however large the parameters: the
    /// factors of the transformations are added as logarithms, and series are summed with a running scale.
    /// </summary>
    internal static (double LogAbs, int Sign) LogGauss2F1(double a, double b, double c, double z)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c) || !double.IsFinite(z))
        {
            throw new ArgumentOutOfRangeException(nameof(z), $"2F1({a}, {b}; {c}; {z}): arguments must be finite");
        }

        if (a == 0 || b == 0 || z == 0)
        {
            return (0, 1);
        }

        if (IsNonPositiveInteger(a) || IsNonPositiveInteger(b))
        {
            var terms = (long)-Math.Max(IsNonPositiveInteger(a) ? a : double.NegativeInfinity, IsNonPositiveInteger(b) ? b : double.NegativeInfinity);
            if (IsNonPositiveInteger(c) && -c < terms)
            {
                throw new ArgumentOutOfRangeException(nameof(c), $"2F1({a}, {b}; {c}; {z}): c is a pole");
            }

            return Sum(a, b, c, z, terms);
        }

        if (IsNonPositiveInteger(c))
        {
            throw new ArgumentOutOfRangeException(nameof(c), $"2F1({a}, {b}; {c}; {z}): c must not be 0, -1, -2, …");
        }

        if (z > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), $"2F1({a}, {b}; {c}; {z}): z must be at most 1 (the series diverges above)");
        }

        if (z == 1)
        {
            return c - a - b > 0
                ? GammaRatio([c, c - a - b], [c - a, c - b])
                : throw new ArgumentOutOfRangeException(nameof(z), $"2F1({a}, {b}; {c}; 1) diverges: c - a - b must be positive");
        }

        if (z < 0)
        {
            // Pfaff: the argument z/(z − 1) lies in (0, 1); keep the parameter with the smaller magnitude outside.
            var w = z / (z - 1);
            var (outside, inside) = Math.Abs(a) <= Math.Abs(b) ? (a, b) : (b, a);
            var (log, sign) = LogGauss2F1(outside, c - inside, c, w);
            return ((-outside * Math.Log(1 - z)) + log, sign);
        }

        if (z > 0.9 && TryNearOne(a, b, c, z, out var near))
        {
            return near;
        }

        // Euler's form when its terms start smaller (its first term ratio (c−a)(c−b)z/c against ab·z/c): for the BG/NBD
        // with many repeat purchases the direct terms grow like xⁿ, with a and b large (a drop-out probability that hardly
        // varies) the Euler terms do.
        if (Math.Abs((c - a) * (c - b)) < Math.Abs(a * b))
        {
            var (log, sign) = Series(c - a, c - b, c, z);
            return (((c - a - b) * Math.Log(1 - z)) + log, sign);
        }

        return Series(a, b, c, z);
    }

    /// <summary>The plain Gauss series for 0 ≤ z &lt; 1 (any real a, b; c not a pole), as ln |sum| and its sign.</summary>
    internal static (double LogAbs, int Sign) Series(double a, double b, double c, double z) => Sum(a, b, c, z, MaxTerms);

    // Sums up to `limit` terms after the first, stopping at convergence; a polynomial's terms end by themselves.
    private static (double LogAbs, int Sign) Sum(double a, double b, double c, double z, long limit)
    {
        double sum = 1, compensation = 0, term = 1, logScale = 0;

        for (long n = 0; n < limit; n++)
        {
            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            Add(ref sum, ref compensation, term);
            if (Math.Abs(term) > Rescale || Math.Abs(sum) > Rescale)
            {
                // Growing terms (large parameters): carry a factor 10²⁵⁰ outside instead of overflowing.
                (term, sum, compensation, logScale) = (term / Rescale, sum / Rescale, compensation / Rescale, logScale + LogRescale);
            }

            if (term == 0 || Converged(a, b, c, z, n + 1, term, sum + compensation))
            {
                return Result(sum + compensation, logScale);
            }
        }

        return limit < MaxTerms
            ? Result(sum + compensation, logScale)
            : throw new ArgumentOutOfRangeException(nameof(z), $"2F1({a}, {b}; {c}; {z}): the series did not converge in {MaxTerms:N0} terms (z too close to 1)");
    }

    private static (double LogAbs, int Sign) Result(double sum, double logScale) => (Math.Log(Math.Abs(sum)) + logScale, Math.Sign(sum));

    /// <summary>
    /// (c/b)·(₂F₁(a, b; c; z) − 1) = Σₙ≥₁ (a)ₙ (b+1)ₙ₋₁ zⁿ / ((c+1)ₙ₋₁ n!), for 0 ≤ z &lt; 1: the series with the factor b/c
    /// cancelled from every term, so that it stays exact as b → 0 or c → 0 (c &gt; −1), where the left side is 0/0 or ∞·0.
    /// </summary>
    internal static double RemainderOverFirst(double a, double b, double c, double z)
    {
        if (z == 0)
        {
            return 0;
        }

        double term = a * z, sum = term, compensation = 0;
        for (var n = 1; n < MaxTerms; n++)
        {
            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            Add(ref sum, ref compensation, term);
            if (term == 0 || Converged(a, b, c, z, n + 1, term, sum + compensation))
            {
                return sum + compensation;
            }

            if (!double.IsFinite(sum))
            {
                return sum;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(z), $"2F1({a}, {b}; {c}; {z}): the series did not converge in {MaxTerms:N0} terms (z too close to 1)");
    }

    // The tail after term tₙ (|tₙ| = |term|) is at most |tₙ|·ρ/(1 − ρ) when every later ratio is at most ρ < 1.
    private static bool Converged(double a, double b, double c, double z, long n, double term, double sum)
    {
        var rho = RatioBound(a, b, c, z, n);
        return rho < 1 && Math.Abs(term) * rho / (1 - rho) <= Epsilon * Math.Abs(sum);
    }

    /// <summary>
    /// A bound on every term ratio z(a+m)(b+m)/((c+m)(m+1)) for m ≥ n, or +∞ while some factor can still change sign.
    /// Each of (a+m)/(c+m), (b+m)/(m+1), (a+m)/(m+1) and (b+m)/(c+m) is monotone in m and tends to 1, so its largest later
    /// value is max(its value at n, 1); of the two ways to pair the four, the tighter one is taken. Tight from the first
    /// terms on even with parameters in the millions, where "wait until n exceeds the parameters" would cost millions of
    /// terms.
    /// </summary>
    internal static double RatioBound(double a, double b, double c, double z, long n)
    {
        if (a + n <= 0 || b + n <= 0 || c + n <= 0)
        {
            return double.PositiveInfinity;
        }

        var (ac, bn, an, bc) = ((a + n) / (c + n), (b + n) / (n + 1), (a + n) / (n + 1), (b + n) / (c + n));
        return z * Math.Min(Math.Max(ac, 1) * Math.Max(bn, 1), Math.Max(an, 1) * Math.Max(bc, 1));
    }

    /// <summary>
    /// Abramowitz and Stegun 15.3.6: ₂F₁(a,b;c;z) = Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) ₂F₁(a,b;1−m;1−z)
    /// + (1−z)^m Γ(c)Γ(−m)/(Γ(a)Γ(b)) ₂F₁(c−a,c−b;1+m;1−z), m = c − a − b not an integer.
    /// </summary>
    private static bool TryNearOne(double a, double b, double c, double z, out (double LogAbs, int Sign) value)
    {
        value = default;
        // Large parameters make its Γ factors and its series' denominators (1 ± m + n pass through 0) unworkable.
        var m = c - a - b;
        if (Math.Abs(m - Math.Round(m)) < 1e-3 || Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), Math.Abs(c)) > NearOneLimit)
        {
            return false;
        }

        var logW = Math.Log(1 - z);
        double Half((double Log, int Sign) gammas, (double Log, int Sign) series, double extra) =>
            gammas.Sign * series.Sign == 0 ? 0 : gammas.Sign * series.Sign * Math.Exp(gammas.Log + series.Log + extra);
        var first = Half(GammaRatio([c, m], [c - a, c - b]), Series(a, b, 1 - m, 1 - z), 0);
        var second = Half(GammaRatio([c, -m], [a, b]), Series(c - a, c - b, 1 + m, 1 - z), m * logW);
        var sum = first + second;
        if (!double.IsFinite(sum) || sum == 0 || Math.Abs(sum) < 1e-4 * (Math.Abs(first) + Math.Abs(second)))
        {
            return false;
        }

        value = (Math.Log(Math.Abs(sum)), Math.Sign(sum));
        return true;
    }

    /// <summary>ln |Π Γ(up) / Π Γ(down)| and its sign; the sign is 0 when a Γ below is infinite (a pole), making the ratio 0.</summary>
    private static (double LogAbs, int Sign) GammaRatio(double[] up, double[] down)
    {
        double log = 0;
        var sign = 1;
        foreach (var x in up)
        {
            var (l, s) = LogGamma(x);
            log += l;
            sign *= s;
        }

        foreach (var x in down)
        {
            if (IsNonPositiveInteger(x))
            {
                return (double.NegativeInfinity, 0);
            }

            var (l, s) = LogGamma(x);
            log -= l;
            sign *= s;
        }

        return (log, sign);
    }

    /// <summary>ln |Γ(x)| and the sign of Γ(x), x not a pole; negative x by the reflection Γ(x)Γ(1 − x) = π / sin(πx).</summary>
    internal static (double LogAbs, int Sign) LogGamma(double x)
    {
        if (x > 0)
        {
            return (SpecialFunctions.GammaLn(x), 1);
        }

        // sin(πx) = (−1)ⁿ sin(π(x − n)), n the nearest integer: x − n is exact, so sin keeps its precision next to a pole
        // (x = −10⁻²⁰ must not become 2 − 10⁻²⁰ = 2).
        var n = Math.Round(x);
        var sin = Math.Sin(Math.PI * (x - n)) * (Math.IEEERemainder(n, 2) == 0 ? 1 : -1);
        return (Math.Log(Math.PI) - Math.Log(Math.Abs(sin)) - SpecialFunctions.GammaLn(1 - x), Math.Sign(sin));
    }

    private static bool IsNonPositiveInteger(double x) => x <= 0 && x == Math.Floor(x);

    // Neumaier's compensated summation: the lost low-order bits are carried in compensation.
    private static void Add(ref double sum, ref double compensation, double term)
    {
        var t = sum + term;
        compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
        sum = t;
    }
}
