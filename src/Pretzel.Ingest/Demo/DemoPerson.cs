using System.Runtime.InteropServices;
using Pretzel.Core.Events;

namespace Pretzel.Ingest.Demo;

/// <summary>
/// Lives one person's life: draws everything from a random sequence seeded by the person's key, collects
/// the events as drafts, then sorts them by time and numbers them. One instance is reused for every
/// person of a run (<see cref="GeneratePrimary"/> / <see cref="GenerateFriend"/> reset it).
/// </summary>
internal sealed partial class DemoPerson
{
    private const long Never = long.MaxValue;
    private const long Second = TimeSpan.TicksPerSecond;
    private const long Minute = TimeSpan.TicksPerMinute;
    private const long Hour = TimeSpan.TicksPerHour;
    private const long Day = TimeSpan.TicksPerDay;

    private readonly int _seed;
    private readonly long _start;
    private readonly long _end;
    private readonly DemoRandom _rng = new(0);
    private readonly DemoProperties _json = new();
    private readonly List<DemoDraft> _drafts = new(128);
    private readonly List<DemoInvite> _invites = [];

    private long _person;
    private ulong _key;
    private int _sequence;
    private string _anonA = "";
    private string? _anonB;
    private string? _userId;
    private string? _leadId;
    private long _identifiedA;
    private long _identifiedB;
    private long _userSince;
    private long _leadSince;
    private long _optInAt;
    private long _exitAt;
    private long _firstVisit;
    private bool _optIn;
    private bool _secondDevice;
    private bool _dormant;
    private bool _dormancyUsed;
    private bool _display;
    private bool _sawPricing;

    public DemoPerson(int seed, DateTime start, int days)
    {
        _seed = seed;
        _start = start.Ticks;
        _end = start.Ticks + (days * Day);
    }

    /// <summary>The referrals this person sent that bring a friend, known after generation.</summary>
    public IReadOnlyList<DemoInvite> Invites => _invites;

    /// <summary>Generates person number <paramref name="person"/>, a first-time visitor or CRM lead.</summary>
    public int GeneratePrimary(long person, ulong key)
    {
        Reset(person, key);
        var t = Arrival(out var burst);
        _firstVisit = t;
        var u = _rng.NextDouble();
        if (burst)
        {
            SelfServe(t, DemoChannel.PaidSocial, DemoGroundTruth.BurstCampaign);
        }
        else if (u < DemoGroundTruth.JobSeekerShare)
        {
            JobSeeker(t);
        }
        else if (u < DemoGroundTruth.JobSeekerShare + DemoGroundTruth.SalesLedShare)
        {
            SalesLed(t);
        }
        else
        {
            SelfServe(t, SelfServeEntry.Pick(_rng), null);
        }

        return Finish();
    }

    /// <summary>Generates person number <paramref name="person"/>, a friend referred by an earlier person.</summary>
    public int GenerateFriend(long person, DemoInvite invite)
    {
        Reset(person, invite.Key);
        _firstVisit = invite.Arrival;
        Friend(invite.Arrival, invite.ReferredBy);
        return Finish();
    }

    /// <summary>The <paramref name="n"/>-th event (in time order) of the person just generated.</summary>
    public Event Build(int n)
    {
        ref readonly var d = ref CollectionsMarshal.AsSpan(_drafts)[n];
        return new Event
        {
            MessageId = $"demo-{_seed}-{_person}-{n}",
            Type = d.Type,
            Name = d.Name,
            Timestamp = new DateTime(d.Time, DateTimeKind.Utc),
            ReceivedAt = new DateTime(Math.Min(d.Time + d.ReceiveDelay, _end), DateTimeKind.Utc),
            AnonymousId = d.AnonymousId,
            UserId = d.UserId,
            PreviousId = d.Type == EventType.Alias ? d.OtherId : null,
            GroupId = d.Type == EventType.Group ? d.OtherId : null,
            Properties = d.Properties,
            Channel = d.Touch.Channel,
            Source = d.Touch.Source,
            Medium = d.Touch.Medium,
            Campaign = d.Touch.Campaign,
            Content = d.Touch.Content,
            Term = d.Touch.Term,
            Referrer = d.Touch.Referrer,
            Revenue = d.Revenue,
            Currency = d.Revenue is null ? null : "EUR",
        };
    }

    private void Reset(long person, ulong key)
    {
        _rng.Reset(key);
        _person = person;
        _key = key;
        _drafts.Clear();
        _invites.Clear();
        _sequence = 0;
        _anonA = $"anon-{_seed}-{person}-a";
        _anonB = null;
        _userId = null;
        _leadId = null;
        _identifiedA = Never;
        _identifiedB = Never;
        _userSince = Never;
        _leadSince = Never;
        _optInAt = Never;
        _exitAt = Never;
        _dormancyUsed = false;
        _sawPricing = false;

        // Drawn first and independently of everything else, so that these traits are uncorrelated
        // with the rest of the person's life (the email and display ground truth rely on it).
        _optIn = _rng.Chance(DemoGroundTruth.EmailOptIn);
        _display = _rng.Chance(DemoGroundTruth.DisplayReach);
        _secondDevice = _rng.Chance(DemoGroundTruth.SecondDeviceShare);
        _dormant = _rng.Chance(DemoGroundTruth.DormantShare);
    }

    /// <summary>Adds the marketing post-passes, sorts by time, cuts at the black hole and the end; returns the count.</summary>
    private int Finish()
    {
        var lastActivity = 0L;
        foreach (ref readonly var d in CollectionsMarshal.AsSpan(_drafts))
        {
            lastActivity = Math.Max(lastActivity, d.Time);
        }

        DisplayRetargeting();
        EmailCampaigns(lastActivity);

        var span = CollectionsMarshal.AsSpan(_drafts);
        span.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
        var last = Math.Min(_exitAt, _end - 1);
        var count = 0;
        while (count < span.Length && span[count].Time <= last)
        {
            count++;
        }

        _invites.RemoveAll(i => i.SentAt > last || i.Arrival >= _end);
        return count;
    }

    private long Arrival(out bool burst)
    {
        var days = (int)((_end - _start) / Day);
        while (true)
        {
            var dayStart = _start + (_rng.Next(days) * Day);
            var month = new DateTime(dayStart).Month;
            var weight = month switch
            {
                8 => DemoGroundTruth.AugustArrivalWeight,
                11 => DemoGroundTruth.NovemberArrivalWeight,
                _ => 1.0,
            };
            var u = _rng.NextDouble() * DemoGroundTruth.NovemberArrivalWeight;
            if (u < weight)
            {
                burst = month == 11 && u >= 1.0;
                return dayStart + _rng.Between(6 * Hour, 23 * Hour);
            }
        }
    }

    private bool Exited => _exitAt != Never;

    private bool Decide(double baseProbability) =>
        _rng.Chance(baseProbability * (_optIn ? DemoGroundTruth.EmailPurchaseFactor : 1.0));

    private string? UserAt(long t) => t >= _userSince ? _userId : t >= _leadSince ? _leadId : null;

    private string UserId => _userId ??= $"user-{_seed}-{_person}";

    private string AnonB => _anonB ??= $"anon-{_seed}-{_person}-b";

    private void OptIn(long t)
    {
        if (_optIn && _optInAt == Never)
        {
            _optInAt = t;
        }
    }

    private void Add(long time, EventType type, string? name, string? anonymousId, string? userId, string? properties, in DemoTouch touch, double? revenue, long delay, string? otherId = null) =>
        _drafts.Add(new DemoDraft
        {
            Time = time,
            ReceiveDelay = delay,
            Sequence = _sequence++,
            Type = type,
            Name = name,
            AnonymousId = anonymousId,
            UserId = userId,
            OtherId = otherId,
            Properties = properties,
            Touch = touch,
            Revenue = revenue,
        });

    private long WebDelay() => _rng.Between(50 * TimeSpan.TicksPerMillisecond, 2 * Second);

    private long ServerDelay() => _rng.Between(Second, 10 * Minute);

    private long CrmDelay() => _rng.Between(10 * Minute, 6 * Hour);

    private string DeviceId(int device) => device == 0 ? _anonA : AnonB;

    private string? WebUser(long t, int device) => t >= (device == 0 ? _identifiedA : _identifiedB) ? UserAt(t) : null;

    /// <param name="landing">The first page of a visit; later pages have the site itself as referrer (a click inside the site, not a new touch).</param>
    private void Page(long t, int device, string page, in DemoTouch touch = default, string? properties = null, bool landing = false)
    {
        var source = landing || !touch.Equals(default(DemoTouch)) ? touch : InternalNavigation;
        Add(t, EventType.Page, page, DeviceId(device), WebUser(t, device), properties ?? DemoPages.Properties(page, _rng), source, null, WebDelay());
        if (page == DemoPages.Pricing)
        {
            _sawPricing = true;
        }
        else if (page == DemoPages.Careers && _rng.Chance(DemoGroundTruth.CareersExit))
        {
            _exitAt = Math.Min(_exitAt, t);
        }
    }

    private static readonly DemoTouch InternalNavigation = new(Referrer: DemoPages.Site + "/");

    private void WebTrack(long t, int device, string name, string? properties, double? revenue = null) =>
        Add(t, EventType.Track, name, DeviceId(device), WebUser(t, device), properties, default, revenue, WebDelay());

    /// <summary>An event sent by a back-office system (billing, help desk, email service): user id only.</summary>
    private void ServerTrack(long t, string name, string? properties, in DemoTouch touch = default, double? revenue = null) =>
        Add(t, EventType.Track, name, null, UserAt(t), properties, touch, revenue, ServerDelay());

    /// <summary>An event entered in the CRM by sales (calls, meetings, events, refusals, deals): user id only, synced late.</summary>
    private void CrmTrack(long t, string name, string? properties, in DemoTouch touch = default, double? revenue = null) =>
        Add(t, EventType.Track, name, null, UserAt(t), properties, touch, revenue, CrmDelay());

    /// <summary>Links <paramref name="device"/> to the person's user id; a CRM lead also gets an alias from its lead id.</summary>
    private void Identify(long t, int device, string traits)
    {
        var firstTime = _userSince == Never;
        if (firstTime)
        {
            _userSince = t;
        }

        if (device == 0)
        {
            _identifiedA = Math.Min(_identifiedA, t);
        }
        else
        {
            _identifiedB = Math.Min(_identifiedB, t);
        }

        Add(t, EventType.Identify, null, DeviceId(device), UserId, traits, default, null, WebDelay());
        if (firstTime && _leadId is not null)
        {
            Add(t + Second, EventType.Alias, null, null, UserId, null, default, null, CrmDelay(), _leadId);
        }
    }

    private string Traits(bool company)
    {
        var json = _json.Begin().Add("email", UserId + "@example.com");
        if (company)
        {
            json.Add("company", $"Company {_person}").Add("employees", (long)EmployeeCounts.Pick(_rng));
        }

        return json.End();
    }

    /// <summary>The same instant of day as <paramref name="t"/> moved into office hours (09:00–17:00 UTC) of its day.</summary>
    private long OfficeHours(long t) => t - (t % Day) + _rng.Between(9 * Hour, 17 * Hour);

    private long Dwell() => _rng.Between(15 * Second, 4 * Minute);

    private static readonly DemoWeights<int> EmployeeCounts = new((25, 0.3), (120, 0.3), (450, 0.2), (1800, 0.15), (9000, 0.05));
}
