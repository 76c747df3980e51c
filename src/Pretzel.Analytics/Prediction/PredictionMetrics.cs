namespace Pretzel.Analytics.Prediction;

/// <summary>How good predicted probabilities are against what happened: ranking (AUC), log loss, Brier score, calibration.</summary>
public static class PredictionMetrics
{
    /// <summary>Calibration bins: ten of width 0.1.</summary>
    public const int Bins = 10;

    /// <summary>
    /// The area under the ROC curve: the probability that a random converted journey is scored above a random other one,
    /// ties counting one half (Mann–Whitney with average ranks). NaN without both outcomes.
    /// </summary>
    public static double Auc(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(y);
        var order = Enumerable.Range(0, p.Count).OrderBy(i => p[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j < order.Length && p[order[j]] == p[order[i]])
            {
                j++;
            }

            var rank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++)
            {
                if (y[order[k]])
                {
                    rankSum += rank;
                    positives++;
                }
            }

            i = j;
        }

        long negatives = p.Count - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>Mean negative log-likelihood (natural log), probabilities clipped to [1e-15, 1 − 1e-15].</summary>
    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(y);
        double sum = 0;
        for (var i = 0; i < p.Count; i++)
        {
            var q = Math.Clamp(p[i], 1e-15, 1 - 1e-15);
            sum -= y[i] ? Math.Log(q) : Math.Log(1 - q);
        }

        return p.Count == 0 ? double.NaN : sum / p.Count;
    }

    /// <summary>Mean squared difference between probability and outcome (0 or 1).</summary>
    public static double Brier(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(y);
        double sum = 0;
        for (var i = 0; i < p.Count; i++)
        {
            var d = p[i] - (y[i] ? 1 : 0);
            sum += d * d;
        }

        return p.Count == 0 ? double.NaN : sum / p.Count;
    }

    /// <summary>Per bin of predicted probability [k/10, (k+1)/10) (the last bin includes 1): journeys, mean predicted, observed rate.</summary>
    public static IReadOnlyList<(int Bin, long Samples, double Predicted, double Observed)> Calibration(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(y);
        var n = new long[Bins];
        var sumP = new double[Bins];
        var k = new long[Bins];
        for (var i = 0; i < p.Count; i++)
        {
            var b = Math.Clamp((int)(p[i] * Bins), 0, Bins - 1);
            n[b]++;
            sumP[b] += p[i];
            k[b] += y[i] ? 1 : 0;
        }

        return [.. Enumerable.Range(0, Bins).Select(b => (b + 1, n[b], n[b] == 0 ? double.NaN : sumP[b] / n[b], n[b] == 0 ? double.NaN : (double)k[b] / n[b]))];
    }

    /// <summary>Expected calibration error: the journey-weighted mean of |mean predicted − observed| over the bins.</summary>
    public static double CalibrationError(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        var total = p.Count;
        return total == 0 ? double.NaN : Calibration(p, y).Where(b => b.Samples > 0).Sum(b => b.Samples * Math.Abs(b.Predicted - b.Observed)) / total;
    }
}
