namespace Pretzel.Ingest.Demo;

/// <summary>Self-serve (B2C) prospects, referred friends and job seekers.</summary>
internal sealed partial class DemoPerson
{
    private static readonly DemoWeights<DemoChannel> JobSeekerEntry = new(
        (DemoChannel.OrganicSearch, 0.6), (DemoChannel.Direct, 0.25), (DemoChannel.OrganicSocial, 0.15));

    private static readonly DemoWeights<string> RefusalReasonsSelfServe = new(
        ("too_expensive", 0.4), ("not_needed", 0.3), ("chose_competitor", 0.2), ("too_complex", 0.1));

    private static double SelfServeSignUp(DemoChannel entry) =>
        DemoGroundTruth.SelfServeSignUpByEntryChannel.TryGetValue(entry.Name(), out var p) ? p : 0.40;

    /// <summary>Anonymous visits; some sign up, and of those some buy.</summary>
    private void SelfServe(long t, DemoChannel entry, string? campaign)
    {
        var signsUp = _rng.Chance(SelfServeSignUp(entry));
        var visits = 1 + _rng.Extra(0.55, 5);
        var channel = entry;
        t = Visit(t, 0, entry, VisitKind.Explore, campaign);
        for (var v = 1; v < visits && !Exited; v++)
        {
            t = NextVisit(t);
            channel = ReturnChannel(channel, t, mustDiffer: false);
            t = Visit(t, 0, channel, VisitKind.Explore);
        }

        if (Exited)
        {
            return;
        }

        if (!signsUp)
        {
            MaybeDormant(t, ref channel, VisitKind.Explore);
            return;
        }

        t = SignUp(t + Dwell(), ref channel, referredBy: null, onSignupPage: false);
        var trial = _rng.Chance(0.7);
        if (trial)
        {
            t += _rng.Between(5 * Second, Minute);
            WebTrack(t, 0, "trial_started", TrialStarted);
        }

        var buyer = Decide(DemoGroundTruth.SelfServePurchase);
        AfterSignUp(t, channel, buyer, trial);
    }

    /// <summary>
    /// A friend referred by a customer: enters mid-funnel on <c>signup</c> or <c>pricing</c> through a
    /// word-of-mouth link, skipping the awareness and interest stages.
    /// </summary>
    private void Friend(long t, string referredBy)
    {
        var onSignup = _rng.Chance(DemoGroundTruth.WordOfMouthSignUpLanding);
        var page = onSignup ? DemoPages.Signup : DemoPages.Pricing;
        var landing = _json.Begin().Add("path", DemoPages.UrlPath(page)).Add("referred_by", referredBy).End();
        Page(t, 0, page, DemoTouches.Web(DemoChannel.WordOfMouth, _rng), landing, landing: true);
        var channel = DemoChannel.WordOfMouth;
        if (!onSignup && !_rng.Chance(DemoGroundTruth.WordOfMouthPricingSignUp))
        {
            t = NextVisit(t);
            Visit(t, 0, ReturnChannel(channel, t, mustDiffer: false), VisitKind.Explore);
            return;
        }

        t = SignUp(t + Dwell(), ref channel, referredBy, onSignupPage: onSignup);
        var trial = _rng.Chance(0.5);
        if (trial)
        {
            t += _rng.Between(5 * Second, Minute);
            WebTrack(t, 0, "trial_started", TrialStarted);
        }

        var buyer = Decide(DemoGroundTruth.WordOfMouthPurchase);
        AfterSignUp(t, channel, buyer, trial);
    }

    /// <summary>Comes for the job ads: lands on <c>careers</c> (directly or from <c>home</c>), and almost always leaves for good.</summary>
    private void JobSeeker(long t)
    {
        var entry = JobSeekerEntry.Pick(_rng);
        var touch = DemoTouches.Web(entry, _rng);
        if (_rng.Chance(0.5))
        {
            Page(t, 0, DemoPages.Careers, touch, landing: true);
        }
        else
        {
            Page(t, 0, DemoPages.Home, touch, landing: true);
            t += Dwell();
            Page(t, 0, DemoPages.Careers);
        }

        if (!Exited)
        {
            // The few who stay on look around like any prospect, and never sign up.
            t = NextVisit(t);
            Visit(t, 0, ReturnChannel(entry, t, mustDiffer: false), VisitKind.Explore);
        }
    }

    /// <summary>
    /// Identification: on the <c>signup</c> page (identify with traits, then <c>sign_up</c>), or, for some of
    /// the people who opt in to email, first a <c>newsletter_signup</c> and the account a few days later.
    /// Returns the time of the <c>sign_up</c>.
    /// </summary>
    private long SignUp(long t, ref DemoChannel channel, string? referredBy, bool onSignupPage)
    {
        if (referredBy is null && _optIn && _rng.Chance(0.35))
        {
            Identify(t, 0, Traits(false));
            t += Second;
            WebTrack(t, 0, "newsletter_signup", NewsletterList);
            OptIn(t);
            t = NextVisit(t);
            channel = _rng.Chance(0.5) ? DemoChannel.Email : DemoChannel.Direct;
            t = Visit(t, 0, channel, VisitKind.Consider);
            if (Exited)
            {
                return t;
            }

            t += Dwell();
            Page(t, 0, DemoPages.Signup);
        }
        else
        {
            if (!onSignupPage)
            {
                Page(t, 0, DemoPages.Signup);
            }

            t += _rng.Between(30 * Second, 2 * Minute);
            Identify(t, 0, Traits(false));
        }

        t += _rng.Between(Second, 3 * Second);
        var json = _json.Begin().Add("method", _rng.Chance(0.7) ? "email" : "google").Add("referred_by", referredBy).End();
        WebTrack(t, 0, "sign_up", json);
        OptIn(t);
        return t;
    }

    /// <summary>From sign-up to purchase (or to giving up): considered visits, abandoned carts, a checkout.</summary>
    private void AfterSignUp(long t, DemoChannel channel, bool buyer, bool trial)
    {
        var signedUp = t;
        t = MaybeDormant(t, ref channel, VisitKind.Consider);
        if (Exited)
        {
            return;
        }

        if (!buyer)
        {
            var visits = _rng.Extra(0.55, 3);
            for (var v = 0; v < visits && !Exited; v++)
            {
                t = NextVisit(t);
                channel = ReturnChannel(channel, t, mustDiffer: false);
                var device = WebDevice();
                t = Visit(t, device, channel, VisitKind.Consider);
                if (!Exited && _rng.Chance(0.15))
                {
                    t = AbandonedCart(t, device);
                }
            }

            if (trial && !Exited && _rng.Chance(0.15))
            {
                ServerTrack(Math.Max(t, signedUp + (14 * Day)) + _rng.Between(Hour, 2 * Day), "refused", _json.One("reason", RefusalReasonsSelfServe.Pick(_rng)));
            }

            return;
        }

        var plan = Plans.Pick(_rng);
        if (_rng.Chance(0.15))
        {
            // Straight to checkout: no considering, no cart (but not within the hour: see EmailCampaigns).
            t += _rng.Between(2 * Hour, 3 * Day);
            channel = ReturnChannel(channel, t, mustDiffer: false);
            var direct = WebDevice();
            t = Arrive(t, direct, channel, DemoPages.Pricing);
            t += Dwell();
            WebTrack(t, direct, "checkout_started", CheckoutStarted(plan));
            t += _rng.Between(Minute, 6 * Minute);
            Customer(t, direct, plan, salesLed: false);
            return;
        }

        var considered = 1 + _rng.Extra(0.5, 2);
        var abandonIn = _rng.Chance(0.25) ? _rng.Next(considered) : -1;
        for (var v = 0; v < considered && !Exited; v++)
        {
            t = NextVisit(t);
            channel = ReturnChannel(channel, t, mustDiffer: false);
            var device = WebDevice();
            t = Visit(t, device, channel, VisitKind.Consider);
            if (v == abandonIn && !Exited)
            {
                t = AbandonedCart(t, device);
            }
        }

        if (Exited)
        {
            return;
        }

        t = NextVisit(t);
        channel = ReturnChannel(channel, t, mustDiffer: false);
        var buyDevice = WebDevice();
        t = Arrive(t, buyDevice, channel, DemoPages.Pricing);
        if (_rng.Chance(0.8))
        {
            t += Dwell();
            WebTrack(t, buyDevice, "add_to_cart", AddToCart(plan));
        }

        t += Dwell();
        WebTrack(t, buyDevice, "checkout_started", CheckoutStarted(plan));
        t += _rng.Between(Minute, 6 * Minute);
        Customer(t, buyDevice, plan, salesLed: false);
    }

    private long AbandonedCart(long t, int device)
    {
        var plan = Plans.Pick(_rng);
        t += Dwell();
        WebTrack(t, device, "add_to_cart", AddToCart(plan));
        if (_rng.Chance(0.5))
        {
            t += Dwell();
            WebTrack(t, device, "checkout_started", CheckoutStarted(plan));
        }

        return t;
    }

    private string AddToCart(string plan) => _json.Begin().Add("plan", plan).Add("price", Price(plan)).End();

    private string CheckoutStarted(string plan) => _json.Begin().Add("plan", plan).Add("value", Price(plan)).End();

    private const string TrialStarted = "{\"plan\":\"pro\",\"trial_days\":14}";

    private const string NewsletterList = "{\"list\":\"newsletter\"}";
}
