using Pretzel.Analytics.Lifetime;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>
/// The BG/NBD conditional expectation and P(alive) at the published CDNOW parameters against values computed with
/// mpmath at 40 digits (its <c>hyp2f1</c> in the closed form of FHL 2005, eq. 10), including z near 1, large x, and the
/// removable singularities a = 1 and a + b + x − 1 = 0.
/// </summary>
public sealed class BgNbdModelTests
{
    private static readonly BgNbdModel Published = new(0.243, 4.414, 0.793, 2.426);

    [Theory]
    [InlineData(2, 30.43, 38.86, 39, 1.2260281747671444)]
    [InlineData(0, 0, 38.86, 52, 0.25207302228245893)]
    [InlineData(0, 0, 0, 0.1429, 0.0078283475160721631)]
    [InlineData(0, 0, 0, 78, 1.8605190579427685)]
    [InlineData(1, 1.71, 38.86, 52, 0.25982346486862243)]
    [InlineData(50, 38, 38.86, 52, 41.719422742769449)]
    [InlineData(0, 0, 0, 5000, 11.987053076811555)]
    [InlineData(3, 10, 20, 100000, 50.940605995734382)]
    [InlineData(200, 300, 301, 365, 170.09780156192153)]
    public void ExpectedPurchases_matches_the_closed_form_in_high_precision(int x, double tx, double age, double horizon, double expected) =>
        Assert.Equal(expected, Published.ExpectedPurchases(x, tx, age, horizon), expected * 1e-10);

    // A degenerate fit (the demo store's): the drop-out probability a/(a + b) = 0.124 hardly varies, a and b run to millions,
    // and the Euler form's terms would overflow. mpmath at 60 digits, the direct series summed term by term.
    [Theory]
    [InlineData(3, 39.57, 42.29, 52, 2.4522813050143494)]
    [InlineData(0, 0, 17.71, 52, 1.2935382747325559)]
    [InlineData(1, 16, 25.29, 520, 5.4954645348063304)]
    [InlineData(40, 100, 101, 52, 6.0050936513577325)]
    public void ExpectedPurchases_is_exact_with_a_and_b_in_the_millions(int x, double tx, double age, double horizon, double expected) =>
        Assert.Equal(expected, new BgNbdModel(0.86, 10.88, 1346363.39, 9486568.72).ExpectedPurchases(x, tx, age, horizon), expected * 1e-9);

    [Theory]
    [InlineData(1.0, 1.102136786039956)]
    [InlineData(1 + 1e-9, 1.1021367854937253)]
    [InlineData(1 - 1e-9, 1.1021367865861863)]
    [InlineData(1 + 5e-5, 1.1021094750951976)]
    [InlineData(1 - 5e-5, 1.1021640981464779)]
    [InlineData(1 - 1.01e-4, 1.1021919576920498)]
    [InlineData(1 - 0.99e-4, 1.1021908651380781)]
    [InlineData(1 + 1.01e-4, 1.1020816191283234)]
    [InlineData(1 + 0.99e-4, 1.1020827114964128)]
    public void ExpectedPurchases_is_exact_through_a_equal_to_1_where_the_closed_form_is_0_over_0(double a, double expected) =>
        Assert.Equal(expected, (Published with { A = a }).ExpectedPurchases(2, 30.43, 38.86, 39), expected * 1e-10);

    [Theory]
    [InlineData(0.6, 0.56754030816302549)]
    [InlineData(0.6 + 1e-7, 0.56754032801139499)]
    [InlineData(0.6 + 5e-5, 0.56755023193822094)]
    public void ExpectedPurchases_is_exact_where_a_plus_b_minus_1_is_0_for_a_customer_without_repeats(double b, double expected) =>
        Assert.Equal(expected, (Published with { A = 0.4, B = b }).ExpectedPurchases(0, 0, 10, 52), expected * 1e-10);

    [Fact]
    public void ProbabilityAlive_is_1_without_repeats_and_follows_the_formula_otherwise()
    {
        Assert.Equal(1, Published.ProbabilityAlive(0, 0, 38.86));
        var odds = 0.793 / (2.426 + 1) * Math.Pow((4.414 + 38.86) / (4.414 + 30.43), 0.243 + 2);
        Assert.Equal(1 / (1 + odds), Published.ProbabilityAlive(2, 30.43, 38.86), 1e-14);

        // Bought often and long ago: almost surely gone (no overflow).
        Assert.Equal(0, Published.ProbabilityAlive(500, 1, 1000), 1e-300);
    }

    [Fact]
    public void Zero_horizon_expects_nothing() => Assert.Equal(0, Published.ExpectedPurchases(3, 10, 20, 0));

    [Fact]
    public void Fit_refuses_data_without_repeat_purchases_or_with_impossible_summaries()
    {
        var none = Assert.Throws<LifetimeException>(() => BgNbdModel.Fit([new CustomerSummary("a", 0, 0, 10), new CustomerSummary("b", 0, 0, 3)]));
        Assert.Contains("none of the 2 customers bought again", none.Message, StringComparison.Ordinal);
        Assert.Throws<LifetimeException>(() => BgNbdModel.Fit([]));
        var bad = Assert.Throws<LifetimeException>(() => BgNbdModel.Fit([new CustomerSummary("a", 2, 11, 10)]));
        Assert.Contains("customer a", bad.Message, StringComparison.Ordinal);
    }
}
