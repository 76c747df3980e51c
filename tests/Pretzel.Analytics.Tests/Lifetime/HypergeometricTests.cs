using CsCheck;
using Pretzel.Analytics.Lifetime;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>
/// ₂F₁ against closed forms (on every branch: the series, Euler's and Pfaff's transformations, the connection formula
/// near z = 1, Gauss's theorem at z = 1, polynomials) and against a brute-force sum of the Gauss series on random
/// arguments where it converges.
/// </summary>
public sealed class HypergeometricTests
{
    /// <summary>Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ term by term, and Σ |term| (the scale of its own rounding error).</summary>
    private static (double Sum, double Magnitude) BruteForce(double a, double b, double c, double z)
    {
        double sum = 1, magnitude = 1, term = 1;
        for (var n = 0; n < 5_000_000; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            magnitude += Math.Abs(term);
            if (n > 50 + (2 * (Math.Abs(a) + Math.Abs(b) + Math.Abs(c))) && Math.Abs(term) < 1e-20 * magnitude)
            {
                break;
            }
        }

        return (sum, magnitude);
    }

    [Theory]
    [InlineData(-0.9)]
    [InlineData(-5)]
    [InlineData(0.3)]
    [InlineData(0.85)]
    [InlineData(0.95)]
    [InlineData(0.9999)]
    public void Log_series_2F1_of_1_1_2_is_minus_log_of_1_minus_z_over_z(double z) =>
        Assert.Equal(-Math.Log(1 - z) / z, Hypergeometric.Gauss2F1(1, 1, 2, z), 1e-12 * Math.Abs(Math.Log(1 - z) / z));

    [Theory]
    [InlineData(0.7, 2.5, 0.5)]
    [InlineData(3.2, 1.5, 0.97)]
    [InlineData(-1.3, 4, 0.99)]
    [InlineData(2.5, 0.3, -3)]
    public void Binomial_2F1_of_a_b_b_is_1_minus_z_to_the_minus_a(double a, double b, double z) =>
        Assert.Equal(Math.Pow(1 - z, -a), Hypergeometric.Gauss2F1(a, b, b, z), 1e-11 * Math.Pow(1 - z, -a));

    [Fact]
    public void Arcsine_and_the_connection_formula_near_1()
    {
        // ₂F₁(1/2, 1/2; 3/2; z²) = arcsin(z)/z; c − a − b = 1/2, so z² > 0.9 takes the connection formula.
        foreach (var x in new[] { 0.5, 0.96, 0.999, 0.999999 })
        {
            Assert.Equal(Math.Asin(x) / x, Hypergeometric.Gauss2F1(0.5, 0.5, 1.5, x * x), 1e-12);
        }
    }

    [Fact]
    public void At_z_equal_1_it_is_Gauss_sum_and_polynomials_end()
    {
        // Gauss: Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)); ₂F₁(1, 1; 3; 1) = Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2.
        Assert.Equal(2, Hypergeometric.Gauss2F1(1, 1, 3, 1), 1e-13);
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Gauss2F1(1, 1, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Gauss2F1(1, 1, 2, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Gauss2F1(1, 1, -2, 0.5));

        // a = −2: 1 + ab/c z + a(a+1)b(b+1)/(c(c+1)2) z², for any z.
        double Poly(double b, double c, double z) => 1 + (-2 * b / c * z) + (-2 * -1 * b * (b + 1) / (c * (c + 1) * 2) * z * z);
        Assert.Equal(Poly(1.5, 2.5, 3), Hypergeometric.Gauss2F1(-2, 1.5, 2.5, 3), 1e-12);
        Assert.Equal(Poly(1.5, 2.5, -7), Hypergeometric.Gauss2F1(-2, 1.5, 2.5, -7), 1e-12);
    }

    [Fact]
    public void Gauss2F1_matches_the_brute_force_series_on_random_arguments_where_it_converges()
    {
        var gen = Gen.Select(Gen.Double[-10, 30], Gen.Double[-10, 30], Gen.Double[0.05, 40], Gen.Double[-0.95, 0.999]);
        gen.Sample((a, b, c, z) =>
        {
            var (sum, magnitude) = BruteForce(a, b, c, z);
            var actual = Hypergeometric.Gauss2F1(a, b, c, z);
            return Math.Abs(actual - sum) <= 1e-9 * magnitude;
        }, iter: 5_000);
    }

    [Fact]
    public void LogGamma_keeps_its_sign_and_precision_next_to_the_poles()
    {
        // Γ(−10⁻²⁰) ≈ −10²⁰ − γ: the reduction of the argument must not round it onto the pole at 0 (or 2).
        var (log, sign) = Hypergeometric.LogGamma(-1e-20);
        Assert.Equal(-1, sign);
        Assert.Equal(Math.Log(1e20), log, 1e-12);
        Assert.Equal(1, Hypergeometric.LogGamma(-1.5).Sign);
        Assert.Equal(Math.Log(4 * Math.Sqrt(Math.PI) / 3), Hypergeometric.LogGamma(-1.5).LogAbs, 1e-13); // Γ(−3/2) = 4√π/3
        Assert.Equal(-1, Hypergeometric.LogGamma(-2.5).Sign);
        Assert.Equal(Math.Log(8 * Math.Sqrt(Math.PI) / 15), Hypergeometric.LogGamma(-2.5).LogAbs, 1e-13); // Γ(−5/2) = −8√π/15
    }

    [Fact]
    public void The_cancelled_remainder_is_c_over_b_times_2F1_minus_1()
    {
        var gen = Gen.Select(Gen.Double[-2, 5], Gen.Double[-0.9, 3], Gen.Double[0.2, 60], Gen.Double[0, 0.95]);
        gen.Where(t => Math.Abs(t.Item2) > 1e-3).Sample((a, b, c, z) =>
        {
            var (sum, magnitude) = BruteForce(a, b, c, z);
            var actual = Hypergeometric.RemainderOverFirst(a, b, c, z);
            return Math.Abs((actual * b / c) - (sum - 1)) <= 1e-9 * magnitude;
        }, iter: 2_000);
    }
}
