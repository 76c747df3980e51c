namespace Pretzel.Ingest.Demo;

/// <summary>Sales-led (B2B) prospects: web research, demo requests, calls, meetings, events, deals and refusals.</summary>
internal sealed partial class DemoPerson
{
    private static readonly DemoWeights<DemoChannel> SalesEntry = new(
        (DemoChannel.OrganicSearch, 0.35), (DemoChannel.PaidSearch, 0.15), (DemoChannel.Referral, 0.10),
        (DemoChannel.Direct, 0.08), (DemoChannel.PaidSocial, 0.07), (DemoChannel.Event, 0.15),
        (DemoChannel.OfflineCall, 0.10));

    private static readonly DemoWeights<DemoChannel> LeadWebEntry = new(
        (DemoChannel.Direct, 0.5), (DemoChannel.OrganicSearch, 0.3), (DemoChannel.PaidSearch, 0.2));

    private static readonly DemoWeights<string> EventNames = new(
        ("Journey Summit Berlin", 0.4), ("CX Week Amsterdam", 0.35), ("Growth Meetup Paris", 0.25));

    private static readonly DemoWeights<string> RefusalReasonsSales = new(
        ("budget", 0.35), ("timing", 0.25), ("chose_competitor", 0.25), ("no_need", 0.15));

    private static readonly DemoWeights<string> CompanySizes = new(
        ("11-50", 0.3), ("51-200", 0.35), ("201-1000", 0.25), ("1001-5000", 0.1));

    /// <summary>
    /// A business buyer. Either researches on the web and maybe requests a demo, or is a CRM lead from the
    /// start (met at an event, or cold-called by sales). The bright path: in through organic search, saw
    /// <c>pricing</c> before <c>demo_requested</c>, then a sales call.
    /// </summary>
    private void SalesLed(long t)
    {
        var entry = SalesEntry.Pick(_rng);
        var channel = entry;
        var demo = false;
        var pricingBeforeDemo = false;
        bool call;
        if (entry is DemoChannel.Event or DemoChannel.OfflineCall)
        {
            _leadId = $"lead-{_seed}-{_person}";
            _leadSince = t;
            if (entry == DemoChannel.Event)
            {
                CrmTrack(t, "event_attended", _json.One("event_name", EventNames.Pick(_rng)), DemoTouches.Web(DemoChannel.Event, _rng));
            }
            else
            {
                CrmTrack(t, "sales_call", SalesCall("outbound"), DemoTouches.Web(DemoChannel.OfflineCall, _rng));
            }

            OptIn(t);
            if (_rng.Chance(0.6))
            {
                // Looks the company up on the web, anonymously at first.
                var visits = 1 + _rng.Extra(0.4, 2);
                for (var v = 0; v < visits && !Exited; v++)
                {
                    t = NextVisit(t);
                    channel = v == 0 ? LeadWebEntry.Pick(_rng) : ReturnChannel(channel, t, mustDiffer: false);
                    t = Visit(t, 0, channel, VisitKind.Sales);
                }

                if (Exited)
                {
                    return;
                }

                demo = _rng.Chance(_sawPricing ? DemoGroundTruth.DemoAfterPricing : DemoGroundTruth.DemoWithoutPricing);
                if (demo)
                {
                    pricingBeforeDemo = _sawPricing;
                    t = RequestDemo(t + Dwell());
                }
            }

            call = _rng.Chance(demo ? DemoGroundTruth.CallAfterDemo : 0.5);
        }
        else
        {
            var visits = 1 + _rng.Extra(0.45, 2);
            t = Visit(t, 0, entry, VisitKind.Sales);
            for (var v = 1; v < visits && !Exited; v++)
            {
                t = NextVisit(t);
                channel = ReturnChannel(channel, t, mustDiffer: false);
                t = Visit(t, 0, channel, VisitKind.Sales);
            }

            if (Exited)
            {
                return;
            }

            demo = _rng.Chance(_sawPricing ? DemoGroundTruth.DemoAfterPricing : DemoGroundTruth.DemoWithoutPricing);
            if (!demo)
            {
                MaybeDormant(t, ref channel, VisitKind.Sales);
                return;
            }

            pricingBeforeDemo = _sawPricing;
            t = RequestDemo(t + Dwell());
            call = _rng.Chance(DemoGroundTruth.CallAfterDemo);
        }

        if (call)
        {
            t = OfficeHours(t + _rng.Between(Day, 4 * Day));
            CrmTrack(t, "sales_call", SalesCall("follow_up"), DemoTouches.Web(DemoChannel.OfflineCall, _rng));
            if (_rng.Chance(0.5))
            {
                t = OfficeHours(t + _rng.Between(3 * Day, 14 * Day));
                CrmTrack(t, "sales_meeting", _json.Begin().Add("attendees", (long)_rng.Between(2, 6)).End(), DemoTouches.Web(DemoChannel.OfflineMeeting, _rng));
            }

            if (_rng.Chance(0.15))
            {
                t = OfficeHours(t + _rng.Between(2 * Day, 20 * Day));
                CrmTrack(t, "event_attended", _json.One("event_name", EventNames.Pick(_rng)), DemoTouches.Web(DemoChannel.Event, _rng));
            }
        }

        var bright = entry == DemoChannel.OrganicSearch && demo && pricingBeforeDemo && call;
        var buyer = Decide(bright ? DemoGroundTruth.BrightPathPurchase
            : call ? DemoGroundTruth.SalesCallPurchase
            : DemoGroundTruth.SalesNoCallPurchase);

        t = MaybeDormant(t, ref channel, VisitKind.Sales);
        if (Exited)
        {
            return;
        }

        if (buyer)
        {
            t = OfficeHours(t + _rng.Between(5 * Day, 30 * Day));
            if (call && _rng.Chance(0.3))
            {
                CrmTrack(t - _rng.Between(Day, 3 * Day), "sales_call", SalesCall("closing"), DemoTouches.Web(DemoChannel.OfflineCall, _rng));
            }

            Customer(t, 0, "enterprise", salesLed: true);
        }
        else if (call && _rng.Chance(0.6))
        {
            CrmTrack(OfficeHours(t + _rng.Between(3 * Day, 20 * Day)), "refused", _json.One("reason", RefusalReasonsSales.Pick(_rng)));
        }
    }

    /// <summary>The <c>demo</c> page's form: identify (with company traits), the company's <c>group</c>, then <c>demo_requested</c>.</summary>
    private long RequestDemo(long t)
    {
        Page(t, 0, DemoPages.Demo);
        t += _rng.Between(Minute, 3 * Minute);
        Identify(t, 0, Traits(true));
        t += Second;
        var group = _json.Begin().Add("name", $"Company {_person}").Add("industry", _rng.Chance(0.5) ? "retail" : "software").End();
        Add(t, Core.Events.EventType.Group, null, _anonA, UserId, group, default, null, WebDelay(), $"acct-{_seed}-{_person}");
        t += Second;
        WebTrack(t, 0, "demo_requested", _json.One("company_size", CompanySizes.Pick(_rng)));
        OptIn(t);
        return t;
    }

    private string SalesCall(string direction) =>
        _json.Begin().Add("direction", direction).Add("duration_min", (long)_rng.Between(5, 55)).End();
}
