namespace Pretzel.Ingest.Demo;

/// <summary>
/// The marketing that reaches a person whatever they do, added after their own journey: display
/// retargeting (no effect) and the email newsletter (its effect is in <see cref="Decide"/>).
/// </summary>
internal sealed partial class DemoPerson
{
    private const long NewsletterEvery = 14 * Day;

    /// <summary>
    /// 1–4 display click-through visits on the first device, within 45 days of the first visit and while the
    /// person is still around (before the black hole or the end of the data), so that whether a display
    /// touch is seen does not depend on how the journey goes.
    /// </summary>
    private void DisplayRetargeting()
    {
        if (!_display)
        {
            return;
        }

        var from = _firstVisit + (2 * Hour);
        var until = Math.Min(_firstVisit + (DemoGroundTruth.DisplayWindowDays * Day), Math.Min(_exitAt, _end - 1));
        if (until <= from)
        {
            return;
        }

        var visits = _rng.Between(1, DemoGroundTruth.DisplayMaxTouches);
        for (var i = 0; i < visits; i++)
        {
            Visit(_rng.Between(from, until), 0, DemoChannel.Display, VisitKind.Inert);
        }
    }

    /// <summary>
    /// For people on the list: the welcome email (always opened, within an hour of opting in), then the
    /// fortnightly newsletter until 90 days after their last activity. Each is opened with probability 0.30;
    /// an opened one is clicked with probability 0.30 (a visit follows) and unsubscribed from with 0.02.
    /// </summary>
    private void EmailCampaigns(long lastActivity)
    {
        if (!_optIn || _optInAt == Never || UserAt(_optInAt) is null)
        {
            return;
        }

        var welcome = _optInAt + _rng.Between(5 * Minute, Hour);
        ServerTrack(welcome, "email_opened", _json.One("email_id", "welcome"), DemoTouches.Email("welcome"));

        var until = Math.Min(_end, Math.Max(lastActivity, welcome) + (90 * Day));
        var first = (_optInAt + (3 * Day) - _start + NewsletterEvery - 1) / NewsletterEvery;
        for (var send = _start + (first * NewsletterEvery) + (9 * Hour); send < until; send += NewsletterEvery)
        {
            if (!_rng.Chance(0.30))
            {
                continue;
            }

            var campaign = CampaignName(send);
            var openedAt = send + _rng.Between(30 * Minute, 48 * Hour);
            ServerTrack(openedAt, "email_opened", _json.One("email_id", campaign), DemoTouches.Email(campaign));
            if (_rng.Chance(0.02))
            {
                ServerTrack(openedAt + _rng.Between(10 * Second, 5 * Minute), "unsubscribe", NewsletterList);
                return;
            }

            if (_rng.Chance(0.30))
            {
                var at = openedAt + _rng.Between(4 * Minute, 10 * Minute);
                var device = _secondDevice && at >= _identifiedB && _rng.Chance(0.5) ? 1 : 0;
                Visit(at, device, DemoChannel.Email, VisitKind.Inert, campaign);
            }
        }
    }

    /// <summary>utm_campaign of the newsletter sent around <paramref name="t"/>: <c>black_friday</c> in November, else <c>newsletter_yyyy_mm</c>.</summary>
    private static string CampaignName(long t)
    {
        var date = new DateTime(t);
        return date.Month == 11 ? DemoGroundTruth.BurstCampaign : $"newsletter_{date.Year:D4}_{date.Month:D2}";
    }
}
