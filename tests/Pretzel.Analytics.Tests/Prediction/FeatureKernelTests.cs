using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Prediction;

/// <summary>The feature kernel against the plain reference on random people; the open-journey rules on small cases.</summary>
public sealed class FeatureKernelTests
{
    [Fact]
    public void The_kernel_gives_the_reference_features_and_labels()
    {
        Gen.Select(PredictionData.People, PredictionData.Options).Sample((people, options) =>
        {
            var (columns, stages, layout) = PredictionData.Prepare(people, options);
            var moments = PredictionData.Moments();
            var samples = new FeatureKernel(columns, options, layout, stages).Samples(moments);
            var expected = new List<(int Person, long Moment, float[] Features, bool Label)>();
            for (var p = 0; p < people.Count; p++)
            {
                foreach (var t in moments)
                {
                    if (PredictionReference.Features(people[p], t, options, layout) is { } f)
                    {
                        expected.Add((p, t, f.Features, f.Label));
                    }
                }
            }

            Assert.Equal(expected.Count, samples.Count);
            for (var s = 0; s < samples.Count; s++)
            {
                Assert.Equal((expected[s].Person, expected[s].Moment, expected[s].Label), (samples.Person[s], samples.Moment[s], samples.Label[s]));
                Assert.Equal(expected[s].Features, samples.Row(s).ToArray());
                Assert.Equal((int)expected[s].Features[FeatureLayout.StageReached], samples.Stage[s]);
            }
        }, iter: 300);
    }

    [Fact]
    public void A_journey_is_open_until_its_first_conversion_and_while_its_last_touch_is_within_the_lookback()
    {
        var t0 = PredictionData.T0;
        JourneyEvent E(double days, string name, string? channel) => new(EventTime.ToMicros(t0.AddDays(days)), $"m{days}", "track", name, channel, null, null, null);
        var people = new List<PersonJourney>
        {
            new("buyer", [E(0, "visit", "email"), E(5, "purchase", null), E(6, "visit", "direct")]),
            new("quiet", [E(0, "visit", "display")]),
            new("untouched", [E(0, "sign_up", null)]),
        };
        var options = new PredictionOptions { To = t0.AddDays(30), Lookback = TimeSpan.FromDays(10), Horizon = TimeSpan.FromDays(7) };
        var (columns, stages, layout) = PredictionData.Prepare(people, options);
        long[] moments = [EventTime.ToMicros(t0.AddDays(1)), EventTime.ToMicros(t0.AddDays(8)), EventTime.ToMicros(t0.AddDays(12))];
        var samples = new FeatureKernel(columns, options, layout, stages).Samples(moments);

        // The buyer is open on day 1 (and converts within 7 days), never after buying; the quiet one until the lookback passes.
        Assert.Equal([("buyer", 1, true), ("quiet", 1, false), ("quiet", 8, false)],
            Enumerable.Range(0, samples.Count).Select(s => (columns.PersonIds[samples.Person[s]], (int)Math.Round((EventTime.FromMicros(samples.Moment[s]) - t0).TotalDays), samples.Label[s])));
    }
}
