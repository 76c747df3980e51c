namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// Per-customer predictions from fitted models: expected purchases over a horizon, P(alive), expected mean spend and
/// expected value (see docs/analyses/clv.md#output). Customers with the same (x, t_x, T) share one computation.
/// </summary>
public static class ClvTable
{
    /// <summary>
    /// One row per customer, by expected value (or, without a spend model, expected purchases) descending, then id.
    /// <paramref name="horizon"/> is in the summaries' unit. With <paramref name="discountRate"/> d &gt; 0 per unit, the
    /// purchases expected in each unit step (k − 1, k] (the last step ending at the horizon) are worth (1 + d)^−k, k the
    /// step's end.
    /// </summary>
    public static IReadOnlyList<CustomerValueRow> Compute(IReadOnlyCollection<CustomerSummary> customers, ClvFit fit, double horizon, double discountRate = 0, int? top = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        ArgumentOutOfRangeException.ThrowIfNegative(discountRate);
        var model = fit.Purchases;
        var cache = new Dictionary<(int, double, double), (double Purchases, double Discounted)>();
        var rows = new List<CustomerValueRow>(customers.Count);
        foreach (var c in customers)
        {
            if (!cache.TryGetValue((c.X, c.Tx, c.T), out var expected))
            {
                var purchases = model.ExpectedPurchases(c.X, c.Tx, c.T, horizon);
                cache[(c.X, c.Tx, c.T)] = expected = (purchases, discountRate > 0 ? Discounted(model, c, horizon, discountRate) : purchases);
            }

            double? spend = fit.Spend?.ExpectedAverageSpend(c.X, c.Zbar) is { } s && double.IsFinite(s) ? s : null;
            rows.Add(new CustomerValueRow(c.Id, c.X, c.Tx, c.T, expected.Purchases, model.ProbabilityAlive(c.X, c.Tx, c.T), spend, spend * expected.Discounted));
        }

        IEnumerable<CustomerValueRow> ordered = rows.OrderByDescending(r => r.ExpectedValue ?? double.NegativeInfinity)
            .ThenByDescending(r => r.ExpectedPurchases).ThenBy(r => r.PersonId, StringComparer.Ordinal);
        return [.. top is { } n ? ordered.Take(n) : ordered];
    }

    private static double Discounted(BgNbdModel model, CustomerSummary c, double horizon, double rate)
    {
        double sum = 0, before = 0;
        for (var k = 1; k - 1 < horizon; k++)
        {
            var end = Math.Min(k, horizon);
            var expected = model.ExpectedPurchases(c.X, c.Tx, c.T, end);
            sum += (expected - before) * Math.Pow(1 + rate, -end);
            before = expected;
        }

        return sum;
    }
}
