using Pretzel.Analytics.Lifetime;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>
/// The fits against the numbers the papers publish on their own data (tests/data/cdnow, tests/data/fader_hardie_2007):
/// BG/NBD and Gamma-Gamma on CDNOW (Fader, Hardie and Lee 2005, and Hardie's spreadsheets as lifetimes' tests quote
/// them), sBG on the two segments of Fader and Hardie (2007).
/// </summary>
public sealed class PublishedFitTests
{
    internal static readonly Lazy<BgNbdModel> Purchases = new(() => BgNbdModel.Fit([.. LifetimeData.Cdnow]));
    private static readonly Lazy<GammaGammaModel> Spend = new(() => GammaGammaModel.Fit([.. LifetimeData.CdnowWithSpend]));

    private static void SignificantDigits(double expected, double actual, int digits)
    {
        var unit = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(expected))) - digits + 1);
        Assert.True(Math.Abs(expected - actual) <= unit / 2, $"expected {expected} to {digits} significant digits, got {actual}");
    }

    [Fact]
    public void BgNbd_on_cdnow_gives_the_published_parameters_and_log_likelihood()
    {
        var model = Purchases.Value;

        // Published: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4 (FHL 2005, Marketing Science).
        SignificantDigits(0.243, model.R, 3);
        SignificantDigits(4.414, model.Alpha, 3);
        SignificantDigits(0.793, model.A, 3);
        SignificantDigits(2.426, model.B, 3);
        Assert.Equal(-9582.4, model.LogLikelihood, 0.05);
        Assert.Equal(model.LogLikelihood, model.LogLikelihoodOf([.. LifetimeData.Cdnow]), 1e-9);

        // And the parameters to the last published digit.
        Assert.Equal(4.414, model.Alpha, 0.0005);
        Assert.Equal(2.426, model.B, 0.0005);
    }

    [Fact]
    public void BgNbd_on_cdnow_gives_the_expectations_of_Hardies_spreadsheet()
    {
        var model = Purchases.Value;

        // E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226, and E[X(t)] of a new customer at six times.
        Assert.Equal(1.226, model.ExpectedPurchases(2, 30.43, 38.86, 39), 0.0005);
        double[] times = [0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00];
        double[] expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
        for (var i = 0; i < times.Length; i++)
        {
            Assert.Equal(expected[i], model.ExpectedPurchases(0, 0, 0, times[i]), 0.0015);
        }
    }

    [Fact]
    public void The_fits_are_the_same_every_run()
    {
        var again = BgNbdModel.Fit([.. LifetimeData.Cdnow]);
        Assert.Equal(Purchases.Value, again);
        Assert.Equal(Purchases.Value.LogLikelihood, again.LogLikelihood);
        Assert.Equal(Spend.Value, GammaGammaModel.Fit([.. LifetimeData.CdnowWithSpend]));
    }

    [Fact]
    public void GammaGamma_on_the_946_repeat_customers_gives_the_published_parameters_and_log_likelihood()
    {
        var model = Spend.Value;

        // Published: p = 6.25, q = 3.74, γ = 15.44 (FHL 2005, JMR); an R re-fit: γ = 15.45, LL = −4055.9.
        Assert.Equal(946, model.Customers);
        Assert.Equal(6.25, model.P, 0.01);
        Assert.Equal(3.74, model.Q, 0.01);
        Assert.Equal(15.44, model.Gamma, 0.01);
        Assert.Equal(-4055.9, model.LogLikelihood, 0.05);
    }

    [Fact]
    public void GammaGamma_gives_the_expected_average_spends_of_Hardies_spreadsheet()
    {
        var model = Spend.Value;
        double[] expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
        var first = LifetimeData.CdnowWithSpend.Take(10).Select(c => model.ExpectedAverageSpend(c.X, c.Zbar)).ToList();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - first[i]) <= 0.01, $"customer {i + 1}: expected {expected[i]}, got {first[i]}");
        }

        // Customers 3, 4, 5 bought once: their expected spend is the population mean pγ/(q − 1).
        Assert.Equal(model.P * model.Gamma / (model.Q - 1), first[2], 1e-9);
    }

    [Fact]
    public void Sbg_on_the_regular_and_high_end_segments_gives_the_published_parameters_and_log_likelihood()
    {
        Assert.Equal([1000, 631, 468, 382, 326, 289, 262, 241], LifetimeData.Retention("regular"));
        var regular = SbgModel.Fit(LifetimeData.Retention("regular"));
        Assert.Equal(0.704, regular.Alpha, 0.0005);
        Assert.Equal(1.182, regular.Beta, 0.0005);
        Assert.Equal(-1680.27, regular.LogLikelihood, 0.005);

        var highEnd = SbgModel.Fit(LifetimeData.Retention("high_end"));
        Assert.Equal(0.668, highEnd.Alpha, 0.0005);
        Assert.Equal(3.806, highEnd.Beta, 0.0005);
        Assert.Equal(-1611.16, highEnd.LogLikelihood, 0.005);
    }
}
