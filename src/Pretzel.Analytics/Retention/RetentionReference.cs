using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Retention;

/// <summary>
/// The plain statement of retention (docs/analyses/retention.md), person by person, each event's local time from
/// <see cref="TimeZoneInfo"/>: the oracle <see cref="RetentionKernel"/> is checked against.
/// </summary>
public static class RetentionReference
{
    public static (IReadOnlyList<RetentionCohort> Cohorts, int LastPeriod) Compute(IEnumerable<PersonJourney> people, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var last = Period(options.To, options);
        var churnBefore = options.To - options.ChurnAfter;
        var cohorts = new Dictionary<(string?, int), RetentionCohort>();
        foreach (var person in people)
        {
            var events = person.Events.Where(e => EventTime.FromMicros(e.Micros) <= options.To).ToList();
            var start = events.FindIndex(e => options.StartEvents is null || (e.Name is not null && options.StartEvents.Contains(e.Name)));
            if (start < 0)
            {
                continue;
            }

            string? group = options.By is null ? null
                : options.Segments is not null ? options.Segments.GetValueOrDefault(person.PersonId) ?? RetentionOptions.NoSegment
                : events.FirstOrDefault(e => e.Channel is not null)?.Channel ?? RetentionOptions.NoChannel;
            var cohortPeriod = Period(EventTime.FromMicros(events[start].Micros), options);
            if (!cohorts.TryGetValue((group, cohortPeriod), out var cohort))
            {
                cohorts[(group, cohortPeriod)] = cohort = new RetentionCohort(group, cohortPeriod, last - cohortPeriod + 1);
            }

            cohort.Size++;
            bool IsReturn(JourneyEvent e) => options.ReturnEvents is null || (e.Name is not null && options.ReturnEvents.Contains(e.Name));
            var mine = events.Skip(start).ToList();
            var periods = mine.Select(e => Period(EventTime.FromMicros(e.Micros), options) - cohortPeriod).ToList();
            var activePeriods = mine.Select((e, i) => (e, i)).Where(x => IsReturn(x.e)).Select(x => periods[x.i]).Distinct().ToList();
            foreach (var k in activePeriods)
            {
                cohort.Active[k]++;
            }

            for (var i = 0; i < mine.Count; i++)
            {
                cohort.Revenue[periods[i]] += mine[i].Revenue ?? 0;
            }

            cohort.LastActive.Add(activePeriods.Count == 0 ? -1 : activePeriods.Max());
            var returns = mine.Where((e, i) => IsReturn(e)).Select(e => e.Micros).ToList();
            var later = mine.Skip(1).Any(IsReturn);
            cohort.Repeaters += later ? 1 : 0;
            for (var i = 1; i < returns.Count; i++)
            {
                cohort.Gaps.Add((returns[i] - returns[i - 1]) / 86_400_000_000.0);
            }

            cohort.Churned += EventTime.FromMicros(mine[^1].Micros) < churnBefore ? 1 : 0;
        }

        return ([.. cohorts.Values.OrderBy(c => c.Group, StringComparer.Ordinal).ThenBy(c => c.Cohort)], last);
    }

    private static int Period(DateTime utc, RetentionOptions options)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), options.TimeZone);
        return options.Unit switch
        {
            PeriodUnit.Month => (local.Year * 12) + local.Month - 1,
            PeriodUnit.Day => (int)(DateOnly.FromDateTime(local).DayNumber - new DateOnly(1970, 1, 1).DayNumber),
            _ => (int)Math.Floor((DateOnly.FromDateTime(local).DayNumber - new DateOnly(1970, 1, 1).DayNumber + 3) / 7.0),
        };
    }
}
