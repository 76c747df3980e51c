using CsCheck;
using Pretzel.Analytics.Lifetime;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>
/// Properties every parameter set must keep: P(alive) is a probability (1 without repeats), expected purchases grow with
/// the horizon and never exceed what an immortal customer would buy, the expected spend lies between the population
/// mean and the customer's own mean, discounting lowers value, and sBG survival falls with retention (β+t−1)/(α+β+t−1).
/// </summary>
public sealed class LifetimePropertyTests
{
    // Parameters as fits give them, including degenerate ones: a and b up to millions (a drop-out probability that
    // hardly varies between customers), α from fractions of a unit (daily buyers) up.
    private static readonly Gen<BgNbdModel> GenBgNbd =
        Gen.Select(Gen.Double[0.05, 5], Gen.Double[0.1, 50], Gen.Double[0.05, 5], Gen.Double[0.05, 10], Gen.Int[0, 3])
            .Select((r, alpha, a, b, scale) => new BgNbdModel(r, alpha, a * Math.Pow(100, scale), b * Math.Pow(100, scale)));

    // A customer: x repeats, t_x ≤ T (x = 0 ⇒ t_x = 0).
    private static readonly Gen<(int X, double Tx, double T)> GenCustomer =
        Gen.Select(Gen.Int[0, 60], Gen.Double[0, 1], Gen.Double[0, 200])
            .Select((x, share, age) => (x, x == 0 ? 0 : share * age, age));

    [Fact]
    public void ProbabilityAlive_is_a_probability_and_1_without_repeats()
    {
        Gen.Select(GenBgNbd, GenCustomer).Sample((model, c) =>
        {
            var p = model.ProbabilityAlive(c.X, c.Tx, c.T);
            Assert.InRange(p, 0, 1);
            if (c.X == 0)
            {
                Assert.Equal(1, p);
            }
        }, iter: 2_000);
    }

    [Fact]
    public void ExpectedPurchases_grow_with_the_horizon()
    {
        Gen.Select(GenBgNbd, GenCustomer, Gen.Double[0.01, 300], Gen.Double[1.01, 4]).Sample((model, c, horizon, factor) =>
        {
            var near = model.ExpectedPurchases(c.X, c.Tx, c.T, horizon);
            var far = model.ExpectedPurchases(c.X, c.Tx, c.T, horizon * factor);
            Assert.True(near >= 0 && double.IsFinite(near), $"{model} {c} {horizon}: {near}");
            Assert.True(far >= near * (1 - 1e-12), $"{model} {c}: E({horizon}) = {near} > E({horizon * factor}) = {far}");
        }, iter: 1_500);
    }

    [Fact]
    public void ExpectedPurchases_never_exceed_those_of_a_customer_who_never_drops_out()
    {
        // Alive, the rate given the history is Gamma(r + x, α + T): at most (r + x)/(α + T)·t purchases in t.
        Gen.Select(GenBgNbd, GenCustomer, Gen.Double[0.01, 300]).Sample((model, c, horizon) =>
            model.ExpectedPurchases(c.X, c.Tx, c.T, horizon) <= (model.R + c.X) / (model.Alpha + c.T) * horizon * (1 + 1e-9), iter: 1_500);
    }

    [Fact]
    public void Expected_spend_lies_between_the_population_mean_and_the_customers_own()
    {
        Gen.Select(Gen.Double[0.5, 20], Gen.Double[1.1, 20], Gen.Double[0.5, 100], Gen.Int[1, 50], Gen.Double[0.5, 500]).Sample((p, q, gamma, x, zbar) =>
        {
            var model = new GammaGammaModel(p, q, gamma);
            var mean = p * gamma / (q - 1);
            var spend = model.ExpectedAverageSpend(x, zbar);
            Assert.InRange(spend, Math.Min(mean, zbar) * (1 - 1e-12), Math.Max(mean, zbar) * (1 + 1e-12));
            Assert.Equal(mean, model.ExpectedAverageSpend(0, 0), mean * 1e-12);
        }, iter: 1_000);
    }

    [Fact]
    public void Discounting_lowers_the_value_and_a_zero_rate_changes_nothing()
    {
        var model = PublishedFitTests.Purchases.Value;
        var fit = new ClvFit(model, new GammaGammaModel(6.25, 3.74, 15.44), null);
        var customers = LifetimeData.CdnowWithSpend.Take(200).ToList();
        var plain = ClvTable.Compute(customers, fit, 52).ToDictionary(r => r.PersonId);
        var zero = ClvTable.Compute(customers, fit, 52, 0).ToDictionary(r => r.PersonId);
        var discounted = ClvTable.Compute(customers, fit, 52, 0.01).ToDictionary(r => r.PersonId);
        foreach (var (id, row) in plain)
        {
            Assert.Equal(row, zero[id]);
            Assert.Equal(row.ExpectedValue!.Value, row.ExpectedPurchases * row.ExpectedSpend!.Value, 1e-9);
            Assert.True(discounted[id].ExpectedValue < row.ExpectedValue, id);
            Assert.True(discounted[id].ExpectedValue > row.ExpectedValue * Math.Pow(1.01, -52), id);
        }
    }

    [Fact]
    public void Sbg_survival_falls_and_retention_is_beta_plus_t_minus_1_over_alpha_plus_beta_plus_t_minus_1()
    {
        Gen.Select(Gen.Double[0.01, 20], Gen.Double[0.01, 20], Gen.Int[1, 200]).Sample((alpha, beta, t) =>
        {
            var model = new SbgModel(alpha, beta);
            Assert.Equal(1, model.Survival(0), 1e-15);
            Assert.True(model.Survival(t) < model.Survival(t - 1));
            Assert.Equal((beta + t - 1) / (alpha + beta + t - 1), model.Retention(t), 1e-12);
            Assert.Equal(model.Retention(t), model.Survival(t) / model.Survival(t - 1), 1e-9);
            Assert.Equal(model.Survival(t - 1) - model.Survival(t), model.ChurnProbability(t), 1e-9);

            // Retention rises over time: the customers who stay are the ones least likely to leave.
            Assert.True(model.Retention(t + 1) > model.Retention(t));
        }, iter: 1_000);
    }

    [Fact]
    public void Sbg_refits_its_own_expected_survival_table()
    {
        Gen.Select(Gen.Double[0.2, 5], Gen.Double[0.2, 8]).Sample((alpha, beta) =>
        {
            var truth = new SbgModel(alpha, beta);
            var table = Enumerable.Range(0, 13).Select(t => (long)Math.Round(1_000_000 * truth.Survival(t))).ToList();
            var fit = SbgModel.Fit(table);
            Assert.Equal(alpha, fit.Alpha, alpha * 0.02);
            Assert.Equal(beta, fit.Beta, beta * 0.02);
        }, iter: 30, threads: 1);
    }
}
