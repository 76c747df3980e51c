namespace Pretzel.Ingest.Demo;

/// <summary>Customers: purchases and renewals, refunds, support, churn, loyalty, reviews and referrals.</summary>
internal sealed partial class DemoPerson
{
    private static readonly DemoWeights<string> Plans = new(("starter", 0.5), ("pro", 0.35), ("team", 0.15));

    private static readonly DemoWeights<string> SupportTopics = new(("how_to", 0.45), ("bug", 0.3), ("billing", 0.25));

    private static readonly DemoWeights<string> CancelReasons = new(
        ("too_expensive", 0.35), ("missing_feature", 0.25), ("switched_provider", 0.2), ("no_longer_needed", 0.2));

    private static readonly DemoWeights<string> ReviewSites = new(("g2", 0.5), ("capterra", 0.3), ("trustpilot", 0.2));

    private static double Price(string plan) => plan switch
    {
        "starter" => 49,
        "pro" => 149,
        "team" => 399,
        _ => 2400,
    };

    private static string Upgrade(string plan) => plan switch
    {
        "starter" => "pro",
        "pro" => "team",
        _ => plan,
    };

    /// <summary>
    /// The first purchase at <paramref name="t"/>, then one renewal per period (monthly self-serve, every
    /// 60–120 days sales-led) until a refund, churn, or the end of the data.
    /// </summary>
    private void Customer(long t, int device, string plan, bool salesLed)
    {
        var amount = salesLed ? 100.0 * _rng.Between(24, 120) : Price(plan);
        for (var k = 1; t < _end; k++)
        {
            var order = _json.Begin().Add("order_id", $"o-{_seed}-{_person}-{k}").Add("plan", plan).End();
            if (k == 1 && !salesLed)
            {
                WebTrack(t, device, "purchase", order, amount);
            }
            else if (salesLed)
            {
                CrmTrack(t, "purchase", order, default, amount);
            }
            else
            {
                ServerTrack(t, "purchase", order, default, amount);
            }

            if (_rng.Chance(DemoGroundTruth.RefundRate))
            {
                var refundAt = t + _rng.Between(Day, 14 * Day);
                if (_rng.Chance(0.7))
                {
                    ServerTrack(refundAt - _rng.Between(2 * Hour, Day), "support_contact", _json.One("topic", "refund"));
                }

                var refund = _json.Begin().Add("order_id", $"o-{_seed}-{_person}-{k}").Add("reason", _rng.Chance(0.5) ? "not_as_expected" : "bought_by_mistake").End();
                ServerTrack(refundAt, "refund", refund, default, -amount);
                ServerTrack(refundAt + _rng.Between(Minute, Hour), "subscription_cancelled", _json.Begin().Add("plan", plan).Add("reason", "refunded").End());
                return;
            }

            var period = salesLed ? _rng.Between(60 * Day, 120 * Day) : _rng.Between(28 * Day, 35 * Day);
            var churns = _rng.Chance(k == 1 ? DemoGroundTruth.FirstPurchaseChurn : DemoGroundTruth.RepeatPurchaseChurn);
            var leaveAt = churns ? t + _rng.Between(15 * Day, period) : Never;
            var activeUntil = Math.Min(t + period, leaveAt);
            if (_rng.Chance(0.2))
            {
                ServerTrack(_rng.Between(t + Day, activeUntil - Day), "support_contact", _json.One("topic", SupportTopics.Pick(_rng)));
            }

            if (_rng.Chance(0.4))
            {
                var at = _rng.Between(t + Day, activeUntil - Day);
                var use = WebDevice();
                Wander(Arrive(at, use, DemoChannel.Direct, _rng.Chance(0.6) ? DemoPages.Account : DemoPages.Home), use, VisitKind.Customer);
            }

            if (k == DemoGroundTruth.LoyalPurchases)
            {
                Advocate(t, leaveAt);
            }

            if (churns)
            {
                if (_rng.Chance(0.1))
                {
                    ServerTrack(leaveAt - _rng.Between(Hour, 2 * Day), "review_left", Review(_rng.Between(1, 3)));
                }

                if (_rng.Chance(0.65))
                {
                    ServerTrack(leaveAt, "subscription_cancelled", _json.Begin().Add("plan", plan).Add("reason", CancelReasons.Pick(_rng)).End());
                }
                else
                {
                    ServerTrack(leaveAt, "churned", _json.One("reason", _rng.Chance(0.6) ? "payment_failed" : "inactive"));
                }

                return;
            }

            if (_rng.Chance(0.1))
            {
                plan = salesLed ? plan : Upgrade(plan);
                amount = salesLed ? Math.Round(amount * 1.2 / 100) * 100 : Price(plan);
            }

            t += period;
        }
    }

    /// <summary>A loyal customer: may review, may become an advocate who invites 1–4 friends (all before <paramref name="leaveAt"/>).</summary>
    private void Advocate(long t, long leaveAt)
    {
        var until = Math.Min(t + (60 * Day), leaveAt - Hour);
        if (_rng.Chance(DemoGroundTruth.LoyalReview))
        {
            ServerTrack(_rng.Between(t + Day, until), "review_left", Review(_rng.Between(4, 5)));
        }

        if (!_rng.Chance(DemoGroundTruth.AdvocateShare))
        {
            return;
        }

        var referrals = _rng.Between(1, 4);
        for (var i = 0; i < referrals; i++)
        {
            var sentAt = _rng.Between(t + Day, until);
            ServerTrack(sentAt, "referral_sent", _json.One("invite_method", _rng.Chance(0.6) ? "link" : "email"));
            if (_rng.Chance(DemoGroundTruth.FriendJoins))
            {
                var arrival = sentAt + _rng.Between(Day, 21 * Day);
                _invites.Add(new DemoInvite(sentAt, arrival, UserAt(sentAt)!, DemoRandom.Hash(_key ^ DemoRandom.Hash(0xF1E4D000UL + (ulong)i))));
            }
        }
    }

    private string Review(int rating) => _json.Begin().Add("rating", (long)rating).Add("site", ReviewSites.Pick(_rng)).End();
}
