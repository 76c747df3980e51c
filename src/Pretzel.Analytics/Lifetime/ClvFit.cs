namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// The models fitted to one set of customer summaries: BG/NBD for purchases, and Gamma-Gamma for spend when it could be
/// fitted (<see cref="SpendNote"/> says why not otherwise).
/// </summary>
public sealed record ClvFit(BgNbdModel Purchases, GammaGammaModel? Spend, string? SpendNote)
{
    /// <summary>Fits both models; throws <see cref="LifetimeException"/> when BG/NBD cannot be fitted (the spend model is optional).</summary>
    public static ClvFit Fit(IReadOnlyCollection<CustomerSummary> customers)
    {
        var purchases = BgNbdModel.Fit(customers);
        try
        {
            return new ClvFit(purchases, GammaGammaModel.Fit(customers), null);
        }
        catch (LifetimeException ex)
        {
            return new ClvFit(purchases, null, $"no spend model ({ex.Message}): expected_spend and expected_value are left empty");
        }
    }

    /// <summary>The parameters and log-likelihoods, BG/NBD first.</summary>
    public IReadOnlyList<ClvParameterRow> Parameters()
    {
        List<ClvParameterRow> rows =
        [
            new("bgnbd", "r", Purchases.R),
            new("bgnbd", "alpha", Purchases.Alpha),
            new("bgnbd", "a", Purchases.A),
            new("bgnbd", "b", Purchases.B),
            new("bgnbd", "log_likelihood", Purchases.LogLikelihood),
        ];
        if (Spend is { } spend)
        {
            rows.AddRange([
                new("gamma_gamma", "p", spend.P),
                new("gamma_gamma", "q", spend.Q),
                new("gamma_gamma", "gamma", spend.Gamma),
                new("gamma_gamma", "log_likelihood", spend.LogLikelihood),
            ]);
        }

        return rows;
    }
}
