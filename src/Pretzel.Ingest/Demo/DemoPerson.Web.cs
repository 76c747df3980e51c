namespace Pretzel.Ingest.Demo;

/// <summary>Web visits: landing pages by channel, navigation, return visits, devices.</summary>
internal sealed partial class DemoPerson
{
    /// <summary>What a visit is for; it sets how deep the visitor goes and which pages they look at.</summary>
    private enum VisitKind
    {
        /// <summary>A prospect looking around before signing up.</summary>
        Explore,

        /// <summary>A signed-up prospect weighing a purchase.</summary>
        Consider,

        /// <summary>A business buyer before asking for a demo.</summary>
        Sales,

        /// <summary>A customer using the product.</summary>
        Customer,

        /// <summary>A display or email click-through: a few pages, never a funnel step, never <c>careers</c>.</summary>
        Inert,
    }

    private static readonly DemoWeights<DemoChannel> SelfServeEntry = new(
        (DemoChannel.OrganicSearch, 0.24), (DemoChannel.PaidSearch, 0.21), (DemoChannel.PaidSocial, 0.16),
        (DemoChannel.OrganicSocial, 0.08), (DemoChannel.Direct, 0.14), (DemoChannel.Referral, 0.11),
        (DemoChannel.Affiliates, 0.06));

    private static readonly DemoWeights<DemoChannel> ReturnWithEmail = new(
        (DemoChannel.Direct, 0.30), (DemoChannel.OrganicSearch, 0.22), (DemoChannel.PaidSearch, 0.15),
        (DemoChannel.PaidSocial, 0.08), (DemoChannel.OrganicSocial, 0.05), (DemoChannel.Referral, 0.05),
        (DemoChannel.Email, 0.15));

    private static readonly DemoWeights<DemoChannel> ReturnWithoutEmail = new(
        (DemoChannel.Direct, 0.35), (DemoChannel.OrganicSearch, 0.26), (DemoChannel.PaidSearch, 0.18),
        (DemoChannel.PaidSocial, 0.10), (DemoChannel.OrganicSocial, 0.05), (DemoChannel.Referral, 0.06));

    private static readonly DemoWeights<string>[] Landings = BuildLandings();

    private static readonly DemoWeights<string> ExplorePages = new(
        (DemoPages.Home, 0.08), (DemoPages.Blog, 0.15), (DemoPages.Features, 0.30), (DemoPages.Pricing, 0.23),
        (DemoPages.Docs, 0.20), (DemoPages.Careers, 0.012));

    private static readonly DemoWeights<string> ConsiderPages = new(
        (DemoPages.Home, 0.04), (DemoPages.Blog, 0.08), (DemoPages.Features, 0.25), (DemoPages.Pricing, 0.30),
        (DemoPages.Docs, 0.30), (DemoPages.Careers, 0.008));

    private static readonly DemoWeights<string> SalesPages = new(
        (DemoPages.Home, 0.06), (DemoPages.Blog, 0.10), (DemoPages.Features, 0.30), (DemoPages.Pricing, 0.35),
        (DemoPages.Docs, 0.15), (DemoPages.Careers, 0.012));

    private static readonly DemoWeights<string> CustomerPages = new(
        (DemoPages.Docs, 0.5), (DemoPages.Account, 0.3), (DemoPages.Features, 0.2));

    private static readonly DemoWeights<string> InertPages = new(
        (DemoPages.Home, 0.3), (DemoPages.Features, 0.3), (DemoPages.Pricing, 0.2), (DemoPages.Blog, 0.2));

    // Fixed ASCII values: no JSON escaping needed.
    private static readonly DemoWeights<string> ProductViews = new(
        ("{\"product\":\"journeys\"}", 0.3), ("{\"product\":\"funnels\"}", 0.25), ("{\"product\":\"attribution\"}", 0.25),
        ("{\"product\":\"retention\"}", 0.1), ("{\"product\":\"predictions\"}", 0.1));

    private static DemoWeights<string>[] BuildLandings()
    {
        var all = new DemoWeights<string>[Enum.GetValues<DemoChannel>().Length];
        var fallback = new DemoWeights<string>((DemoPages.Home, 1.0));
        Array.Fill(all, fallback);
        all[(int)DemoChannel.OrganicSearch] = new((DemoPages.Blog, 0.5), (DemoPages.Home, 0.3), (DemoPages.Features, 0.1), (DemoPages.Pricing, 0.05), (DemoPages.Docs, 0.05));
        all[(int)DemoChannel.PaidSearch] = new((DemoPages.Pricing, 0.35), (DemoPages.Features, 0.35), (DemoPages.Home, 0.3));
        all[(int)DemoChannel.PaidSocial] = new((DemoPages.Home, 0.5), (DemoPages.Features, 0.3), (DemoPages.Pricing, 0.2));
        all[(int)DemoChannel.OrganicSocial] = new((DemoPages.Blog, 0.7), (DemoPages.Home, 0.3));
        all[(int)DemoChannel.Referral] = new((DemoPages.Blog, 0.4), (DemoPages.Home, 0.4), (DemoPages.Features, 0.2));
        all[(int)DemoChannel.Affiliates] = new((DemoPages.Pricing, 0.5), (DemoPages.Home, 0.5));
        all[(int)DemoChannel.Direct] = new((DemoPages.Home, 0.8), (DemoPages.Pricing, 0.1), (DemoPages.Docs, 0.1));
        all[(int)DemoChannel.Display] = new((DemoPages.Home, 0.5), (DemoPages.Pricing, 0.3), (DemoPages.Features, 0.2));
        all[(int)DemoChannel.Email] = new((DemoPages.Blog, 0.4), (DemoPages.Features, 0.3), (DemoPages.Pricing, 0.3));
        return all;
    }

    private string Landing(DemoChannel channel) => Landings[(int)channel].Pick(_rng);

    /// <summary>
    /// One visit through <paramref name="channel"/> starting at <paramref name="t"/>: the landing page carries
    /// the touch (the only event of the visit that does), then the visitor clicks on or leaves.
    /// Returns the time of the last event.
    /// </summary>
    private long Visit(long t, int device, DemoChannel channel, VisitKind visit, string? campaign = null) =>
        Wander(Arrive(t, device, channel, null, campaign), device, visit);

    /// <summary>
    /// The landing page of a visit through <paramref name="channel"/> (an email click-through is preceded by
    /// its <c>email_clicked</c>); on a second device not yet known, followed by the login that identifies it.
    /// </summary>
    private long Arrive(long t, int device, DemoChannel channel, string? landing, string? campaign = null)
    {
        DemoTouch touch;
        if (channel == DemoChannel.Email)
        {
            campaign ??= CampaignName(t);
            touch = DemoTouches.Email(campaign);
            ServerTrack(t - _rng.Between(20 * Second, 3 * Minute), "email_clicked", _json.One("email_id", campaign), touch);
        }
        else
        {
            touch = DemoTouches.Web(channel, _rng, campaign);
        }

        Page(t, device, landing ?? Landing(channel), touch, landing: true);
        if (device == 1 && _identifiedB == Never && _userId is not null && !Exited)
        {
            t += Dwell();
            Page(t, 1, DemoPages.Login);
            t += _rng.Between(10 * Second, Minute);
            Identify(t, 1, Traits(false));
        }

        return t;
    }

    /// <summary>Pages after the landing page, until the visitor leaves. Returns the time of the last event.</summary>
    private long Wander(long t, int device, VisitKind visit)
    {
        var (pages, keepGoing) = visit switch
        {
            VisitKind.Explore => (ExplorePages, 0.70),
            VisitKind.Consider => (ConsiderPages, 0.65),
            VisitKind.Sales => (SalesPages, 0.60),
            VisitKind.Customer => (CustomerPages, 0.50),
            _ => (InertPages, 0.35),
        };
        var previous = "";
        while (!Exited && _rng.Chance(keepGoing))
        {
            t += Dwell();
            var page = pages.Pick(_rng);
            if (page == previous)
            {
                page = pages.Pick(_rng);
            }

            previous = page;
            Page(t, device, page);
            if (page == DemoPages.Features && visit != VisitKind.Inert && _rng.Chance(0.5))
            {
                t += _rng.Between(5 * Second, 40 * Second);
                WebTrack(t, device, "product_viewed", ProductViews.Pick(_rng));
            }
        }

        return t;
    }

    /// <summary>The next visit's start: usually within two weeks; once, for dormant people, 60–180 days later.</summary>
    private long NextVisit(long t) =>
        t + (_rng.Chance(0.4) ? _rng.Between(30 * Minute, Day) : _rng.Between(Day, 14 * Day));

    /// <summary>The months-long gap of a dormant person.</summary>
    private long DormantGap(long t)
    {
        _dormancyUsed = true;
        return t + _rng.Between(DemoGroundTruth.DormantMinDays * Day, DemoGroundTruth.DormantMaxDays * Day);
    }

    /// <summary>
    /// If the person is dormant and has not yet vanished: vanish now, and come back through a channel other
    /// than <paramref name="previous"/>. Returns the time after the return visit (or <paramref name="t"/>).
    /// </summary>
    private long MaybeDormant(long t, ref DemoChannel previous, VisitKind visit)
    {
        if (!_dormant || _dormancyUsed || Exited)
        {
            return t;
        }

        t = DormantGap(t);
        previous = ReturnChannel(previous, t, mustDiffer: true);
        return Visit(t, WebDevice(), previous, visit);
    }

    /// <summary>How a returning visitor comes back; by email only once on the list.</summary>
    private DemoChannel ReturnChannel(DemoChannel previous, long t, bool mustDiffer)
    {
        var table = _optIn && t > _optInAt ? ReturnWithEmail : ReturnWithoutEmail;
        var channel = table.Pick(_rng);
        for (var i = 0; mustDiffer && channel == previous && i < 8; i++)
        {
            channel = table.Pick(_rng);
        }

        return channel == previous && mustDiffer ? (previous == DemoChannel.Direct ? DemoChannel.OrganicSearch : DemoChannel.Direct) : channel;
    }

    /// <summary>
    /// The device of a visit: the first one until the person is identified on the web; then, for people with
    /// a second device, the first visit after identification is on the second device and later ones 40% of the time.
    /// </summary>
    private int WebDevice()
    {
        if (!_secondDevice || _identifiedA == Never)
        {
            return 0;
        }

        return _identifiedB == Never || _rng.Chance(0.4) ? 1 : 0;
    }
}
