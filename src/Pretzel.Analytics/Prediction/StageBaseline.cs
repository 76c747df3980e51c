namespace Pretzel.Analytics.Prediction;

/// <summary>
/// The naive baseline: a journey's probability is the training journeys' conversion rate within the horizon at its
/// stage reached, shrunk towards the overall rate by one pseudo-journey (so a stage seen once is not 0 or 1); a stage
/// not seen in training gets the overall rate.
/// </summary>
public sealed class StageBaseline(IReadOnlyList<double> rates, double overall)
{
    /// <summary>By stage reached (0: none, then 1-based positions in the stage model).</summary>
    public IReadOnlyList<double> Rates { get; } = rates;

    public double Overall { get; } = overall;

    public double Probability(int stage) => stage < Rates.Count ? Rates[stage] : Overall;

    internal static StageBaseline Train(JourneySamples samples, int stages)
    {
        var n = new long[stages + 1];
        var k = new long[stages + 1];
        for (var s = 0; s < samples.Count; s++)
        {
            n[samples.Stage[s]]++;
            k[samples.Stage[s]] += samples.Label[s] ? 1 : 0;
        }

        var overall = samples.Count == 0 ? 0 : (double)k.Sum() / samples.Count;
        return new StageBaseline([.. n.Select((count, i) => (k[i] + overall) / (count + 1))], overall);
    }
}
