using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// The plain statement of AARRR (docs/analyses/aarrr.md), person by person, each event's local day from
/// <see cref="TimeZoneInfo"/>: the oracle <see cref="AarrrKernel"/> is checked against.
/// </summary>
public static class AarrrReference
{
    public static IReadOnlyList<AarrrPeriod> Compute(IEnumerable<PersonJourney> people, AarrrOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var rows = new Dictionary<int, AarrrPeriod>();
        AarrrPeriod At(int period) => rows.TryGetValue(period, out var row) ? row : rows[period] = new AarrrPeriod(period);
        static bool Is(IReadOnlyList<string>? names, string? value) => names is null || (value is not null && names.Contains(value));

        foreach (var person in people)
        {
            var events = person.Events.Where(e => EventTime.FromMicros(e.Micros) <= options.To)
                .Select(e => (Event: e, Period: Period(e.Micros, options))).ToList();
            foreach (var (_, period) in events)
            {
                At(period);
            }

            var acquired = events.FindIndex(x => Is(options.AcquisitionEvents, x.Event.Name));
            var activated = events.FindIndex(x => Is(options.ActivationEvents, x.Event.Name));
            var touch = events.FirstOrDefault(x => x.Event.Channel is not null).Event?.Channel;
            if (acquired >= 0)
            {
                var row = At(events[acquired].Period);
                row.Acquired++;
                row.Referred += touch is not null && options.ReferredChannels.Contains(touch) ? 1 : 0;
                row.ActivatedOnArrival += activated >= 0 && events[activated].Period == events[acquired].Period ? 1 : 0;
            }

            if (activated >= 0)
            {
                At(events[activated].Period).Activated++;
            }

            var revenueEvents = events.Where(x => Is(options.RevenueEvents, x.Event.Name) && x.Event.Revenue is not null).ToList();
            foreach (var (e, period) in revenueEvents)
            {
                At(period).Revenue += e.Revenue!.Value;
            }

            foreach (var period in revenueEvents.Where(x => x.Event.Revenue > 0).Select(x => x.Period).Distinct())
            {
                At(period).Paying++;
            }

            foreach (var period in events.Where(x => Is(options.ReferralEvents, x.Event.Name)).Select(x => x.Period).Distinct())
            {
                At(period).Referrers++;
            }

            if (acquired >= 0)
            {
                var since = events[acquired].Period;
                foreach (var period in events.Where(x => x.Period > since && Is(options.RetentionEvents, x.Event.Name)).Select(x => x.Period).Distinct())
                {
                    At(period).Retained++;
                }
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var last = Math.Max(rows.Keys.Max(), Period(EventTime.ToMicros(options.To), options));
        return [.. Enumerable.Range(rows.Keys.Min(), last - rows.Keys.Min() + 1).Select(At)];
    }

    private static int Period(long micros, AarrrOptions options)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(EventTime.FromMicros(micros), options.TimeZone);
        return LocalCalendar.PeriodOfDay(DateOnly.FromDateTime(local).DayNumber - new DateOnly(1970, 1, 1).DayNumber, options.Unit);
    }
}
