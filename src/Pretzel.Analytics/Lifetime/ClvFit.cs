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

    /// <summary>
    /// What the reader should know about the fit: parameters that ran off towards 0 or infinity, where the data fit a
    /// limit of the model better than any finite values (see <see cref="LogScaleMinimizer.RanAway"/>), and what that
    /// limit means. Empty for an ordinary fit.
    /// </summary>
    public IReadOnlyList<string> Notes()
    {
        var notes = new List<string>();
        var p = Purchases;
        var away = Away(("r", p.R), ("alpha", p.Alpha), ("a", p.A), ("b", p.B));
        if (away.Count > 0)
        {
            var meaning = LogScaleMinimizer.RanAway(p.A) && LogScaleMinimizer.RanAway(p.B) && p.A < p.B
                ? $"; a and b growing together means every customer has the same chance of dropping out after a purchase, a/(a+b) = {p.A / (p.A + p.B):0.####}"
                : "";
            notes.Add($"BG/NBD: {string.Join(" and ", away)} ran off towards a limit of the model (the likelihood keeps rising on the way){meaning}. The values shown are where the search stopped, and the predictions are that limit's");
        }

        if (Spend is { } s)
        {
            away = Away(("p", s.P), ("q", s.Q), ("gamma", s.Gamma));
            if (away.Count > 0)
            {
                var meaning = LogScaleMinimizer.RanAway(s.P) && s.P > 1
                    ? "; p growing without bound means a customer's purchases vary little around their own mean, so expected_spend is close to each customer's average spend"
                    : "";
                notes.Add($"Gamma-Gamma: {string.Join(" and ", away)} ran off towards a limit of the model{meaning}. The values shown are where the search stopped");
            }
        }

        return notes;
    }

    private static List<string> Away(params (string Name, double Value)[] parameters) =>
        [.. parameters.Where(x => LogScaleMinimizer.RanAway(x.Value)).Select(x => $"{x.Name} = {x.Value:G3}")];

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
