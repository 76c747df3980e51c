using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Prediction;

/// <summary>
/// Next best touch by flipped splits against the plain way (every candidate's journey rebuilt by the reference and scored
/// by the whole ensemble; the chain asked per candidate), and which touches are candidates by default.
/// </summary>
public sealed class NextBestTouchTests
{
    [Fact]
    public void Every_candidates_gain_is_the_reference_gain_for_both_models()
    {
        Gen.Select(PredictionData.People, PredictionData.Options, Gen.Int[0, 100_000], Gen.Bool).Sample((people, options, seed, subset) =>
        {
            var (columns, stages, layout) = PredictionData.Prepare(people, options);
            var model = PredictionData.RandomModel(columns, stages, options, layout, seed);
            var known = layout.Touches.Take(layout.Touches.Count - 1).ToList();
            var random = new Random(seed);
            var chosen = subset ? known.Where(_ => random.Next(2) == 0).ToList() : known;
            var scorer = new ProspectScorer(model, chosen);
            Assert.Equal(known.Where(chosen.Contains), scorer.Candidates);
            var scores = scorer.Score(columns, stages, options);
            var to = EventTime.ToMicros(options.To);
            var samples = new FeatureKernel(columns, options, layout, stages).Samples([to]);
            Assert.Equal(samples.Count, scores.Count);

            var candidates = scorer.Candidates;
            var lightGbm = new double[candidates.Count];
            var markov = new double[candidates.Count];
            for (var s = 0; s < samples.Count; s++)
            {
                var person = people[samples.Person[s]];
                Assert.Equal(samples.Person[s], scores.Person[s]);
                var now = PredictionReference.Features(person, to, options, layout)!.Value.Features;
                var p = model.Ensemble.Probability(now);
                Assert.Equal(p, scores.Probability[0][s], 12);
                var gains = candidates.Select(c => model.Ensemble.Probability(PredictionReference.Features(person, to, options, layout, c)!.Value.Features) - p).ToList();
                AssertBest(gains, scores.Best[0][s], scores.Uplift[0][s]);

                var recent = PredictionTrainer.Recent(samples, s).ToArray();
                var pm = model.Markov.Probability(recent, samples.PathLength[s]);
                Assert.Equal(pm, scores.Probability[1][s]);
                var chain = candidates.Select(c => model.Markov.Probability(recent, samples.PathLength[s], layout.Touches.ToList().IndexOf(c)) - pm).ToList();
                AssertBest(chain, scores.Best[1][s], scores.Uplift[1][s]);
                for (var k = 0; k < candidates.Count; k++)
                {
                    lightGbm[k] += gains[k];
                    markov[k] += chain[k];
                }
            }

            for (var k = 0; k < candidates.Count; k++)
            {
                Assert.Equal(lightGbm[k], scores.Gain[0][k], 9);
                Assert.Equal(markov[k], scores.Gain[1][k], 12);
            }
        }, iter: 200);
    }

    [Fact]
    public void Default_candidates_are_the_touches_a_business_can_send_or_buy()
    {
        string[] channels = ["email", "direct", "paid_search", "organic_search", "word_of_mouth", "offline_call", "referral", "partner_webinars", "unassigned", FeatureLayout.Other];
        Assert.Equal(["email", "paid_search", "offline_call", "partner_webinars"], CandidateTouches.Default(channels, TouchKind.Channel, ["purchase"]));

        string[] channelEvents = ["direct:pricing", "email:email_opened", "email:purchase", "(none):sign_up", "offline_call:sales_call", FeatureLayout.Other];
        Assert.Equal(["email:email_opened", "offline_call:sales_call"], CandidateTouches.Default(channelEvents, TouchKind.ChannelEvent, ["purchase"]));

        string[] channelCampaigns = ["email:spring", "organic_social:(none)", "paid_social:fall", FeatureLayout.Other];
        Assert.Equal(["email:spring", "paid_social:fall"], CandidateTouches.Default(channelCampaigns, TouchKind.ChannelCampaign, ["purchase"]));

        // Event names say nothing about who causes them: only the conversions are left out. Campaigns are all the business's.
        Assert.Equal(["pricing", "sign_up"], CandidateTouches.Default(["pricing", "purchase", "sign_up", "order_completed", FeatureLayout.Other], TouchKind.Event, ["purchase", "order_completed"]));
        Assert.Equal(["spring", "fall"], CandidateTouches.Default(["spring", "fall", FeatureLayout.Other], TouchKind.Campaign, ["purchase"]));
    }

    [Fact]
    public void A_scorer_suggests_the_default_touches_unless_named_and_refuses_unknown_ones()
    {
        var t0 = PredictionData.T0;
        JourneyEvent E(double days, string name, string? channel) => new(EventTime.ToMicros(t0.AddDays(days)), $"m{days}", "page", name, channel, null, null, null);
        var options = new PredictionOptions { To = t0.AddDays(10) };
        var people = new List<PersonJourney>
        {
            new("a", [E(1, "home", "direct"), E(2, "pricing", "email"), E(3, "purchase", null)]),
            new("b", [E(1, "home", "paid_search"), E(4, "home", "direct")]),
            new("c", [E(2, "home", "organic_search"), E(5, "pricing", "email")]),
        };
        var (columns, stages, layout) = PredictionData.Prepare(people, options);
        var model = PredictionData.RandomModel(columns, stages, options, layout, 1);
        Assert.Contains("direct", layout.Touches);

        var byDefault = new ProspectScorer(model, null).Candidates;
        Assert.DoesNotContain("direct", byDefault);
        Assert.Contains("email", byDefault);
        Assert.Equal(["direct"], new ProspectScorer(model, ["direct"]).Candidates);
        var unknown = Assert.Throws<PathException>(() => new ProspectScorer(model, ["carrier_pigeon"]));
        Assert.Contains("--touches carrier_pigeon", unknown.Message, StringComparison.Ordinal);
    }

    /// <summary>The scorer's best candidate and uplift are the largest of <paramref name="gains"/> (none when nothing is raised).</summary>
    private static void AssertBest(List<double> gains, int best, double uplift)
    {
        var max = gains.Count == 0 ? double.NegativeInfinity : gains.Max();
        if (max > 2 * ProspectScorer.MinUplift)
        {
            Assert.Equal(max, uplift, 9);
            Assert.Equal(max, gains[best], 9);
        }
        else if (max < ProspectScorer.MinUplift / 2)
        {
            Assert.Equal(-1, best);
            Assert.Equal(0, uplift);
        }
    }
}
