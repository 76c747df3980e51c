using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Retention;

/// <summary>The retention kernel against the reference on random people, the calendar against <see cref="TimeZoneInfo"/>, and the sBG fit on the published table.</summary>
public sealed class RetentionKernelTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["home", "purchase", "signup", "refund", "order_completed"];
    private static readonly string?[] Channels = [null, "email", "paid_search", "direct"];
    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham"];

    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 24 * 60 * 500], Gen.Int[0, 3], Gen.Int[-50, 500]).Array[0, 14].Array[0, 40]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddMinutes(e.Item2)), $"m{i:D3}", "track", Names[e.Item1], Channels[e.Item3], null, null,
                    null, null, e.Item4 % 4 == 0 ? null : e.Item4))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<RetentionOptions> GenOptions =
        Gen.Select(Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, Zones.Length - 1]), Gen.Int[0, 24 * 560], Gen.Int[0, 2], Gen.Int[1, 200], Gen.Int[-1, 2].Array[40])
            .Select((choice, toHours, by, churnDays, segments) => new RetentionOptions
            {
                Unit = (PeriodUnit)choice.Item1,
                StartEvents = choice.Item2 switch { 0 => null, 1 => ["purchase"], _ => ["signup", "purchase"] },
                ReturnEvents = choice.Item3 switch { 0 => null, 1 => ["purchase"], _ => ["purchase", "order_completed"] },
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById(Zones[choice.Item4]),
                To = T0.AddHours(toHours),
                By = by switch { 0 => null, 1 => RetentionOptions.FirstTouchChannel, _ => RetentionReport.BySegmentRfm },
                Segments = by == 2 ? segments.Select((s, p) => (s, p)).Where(x => x.s >= 0).ToDictionary(x => "p" + x.p.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), x => "seg" + x.s) : null,
                ChurnAfter = TimeSpan.FromDays(churnDays),
            });

    private static void AssertSame((IReadOnlyList<RetentionCohort> Cohorts, int LastPeriod) expected, (IReadOnlyList<RetentionCohort> Cohorts, int LastPeriod) actual)
    {
        Assert.Equal(expected.LastPeriod, actual.LastPeriod);
        Assert.Equal(expected.Cohorts.Select(c => (c.Group, c.Cohort, c.Size)), actual.Cohorts.Select(c => (c.Group, c.Cohort, c.Size)));
        for (var i = 0; i < expected.Cohorts.Count; i++)
        {
            var (e, a) = (expected.Cohorts[i], actual.Cohorts[i]);
            Assert.Equal(e.Active, a.Active);
            Assert.Equal(e.Revenue.Length, a.Revenue.Length);
            for (var k = 0; k < e.Revenue.Length; k++)
            {
                Assert.Equal(e.Revenue[k], a.Revenue[k], 6);
            }

            Assert.Equal((e.Repeaters, e.Churned), (a.Repeaters, a.Churned));
            Assert.Equal(e.LastActive.Order(), a.LastActive.Order());
            Assert.Equal(e.Gaps.Order().Select(g => Math.Round(g, 9)), a.Gaps.Order().Select(g => Math.Round(g, 9)));
        }
    }

    [Fact]
    public void The_kernel_gives_the_reference_cohorts()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
            AssertSame(RetentionReference.Compute(people, options), RetentionKernel.Compute(JourneyColumns.FromJourneys(people), options)), iter: 600);
    }

    [Fact]
    public void The_rows_add_up_and_stay_in_bounds()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
        {
            var (cohorts, last) = RetentionKernel.Compute(JourneyColumns.FromJourneys(people), options);
            var table = RetentionRows.Table(cohorts, options);
            Assert.Equal(cohorts.Sum(c => last - c.Cohort + 1), table.Rows.Count);
            var offset = options.By is null ? 0 : 1;
            foreach (var row in table.Rows)
            {
                var (size, active, retention) = ((long)row[offset + 2]!, (long)row[offset + 3]!, (double)row[offset + 4]!);
                Assert.InRange(active, 0, size);
                Assert.Equal(Math.Round((double)active / size, 6), retention);
            }

            // Everyone with a start event is in exactly one cohort.
            var starters = people.Count(p => p.Events.Any(e => EventTime.FromMicros(e.Micros) <= options.To
                && (options.StartEvents is null || options.StartEvents.Contains(e.Name!))));
            Assert.Equal(starters, cohorts.Sum(c => c.Size));
        }, iter: 300);
    }

    [Fact]
    public void The_calendar_agrees_with_the_time_zone_database_around_every_transition()
    {
        Gen.Select(Gen.Int[0, Zones.Length - 1], Gen.Int[0, 2], Gen.Long[0, 4L * 365 * 24 * 3600], Gen.Long[0, 400L * 24 * 3600]).Sample((zone, unit, startSeconds, spanSeconds) =>
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(Zones[zone]);
            var from = EventTime.ToMicros(new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc)) + (startSeconds * 1_000_000);
            var to = from + (spanSeconds * 1_000_000);
            var calendar = new LocalCalendar(tz, (PeriodUnit)unit, from, to);
            var options = new RetentionOptions { Unit = (PeriodUnit)unit, TimeZone = tz, To = T0 };
            for (var t = from - 3_600_000_000; t <= to + 3_600_000_000; t += 7 * 60 * 1_000_000 + 13_000_017)
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(EventTime.FromMicros(t), tz);
                var day = DateOnly.FromDateTime(local).DayNumber - new DateOnly(1970, 1, 1).DayNumber;
                Assert.Equal(LocalCalendar.PeriodOfDay(day, options.Unit), calendar.Period(t));
                var period = calendar.Period(t);
                var (first, next) = (LocalCalendar.FirstDay(period, options.Unit), LocalCalendar.FirstDay(period + 1, options.Unit));
                Assert.InRange(DateOnly.FromDateTime(local).DayNumber, first, next - 1);
                Assert.True(options.Unit switch
                {
                    PeriodUnit.Week => DateOnly.FromDayNumber(first).DayOfWeek == DayOfWeek.Monday && next - first == 7,
                    PeriodUnit.Month => DateOnly.FromDayNumber(first).Day == 1,
                    _ => next - first == 1,
                });
            }
        }, iter: 60);
    }

    [Fact]
    public void A_cohort_counts_its_people_in_the_periods_they_came_back_in_and_their_revenue()
    {
        JourneyEvent E(string when, string name, double? revenue = null) =>
            new(EventTime.ToMicros(DateTime.Parse(when, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)), when + name, "track", name, null, null, null, null, null, revenue);
        var people = new List<PersonJourney>
        {
            // 23:30 UTC on 31 March is already 1 April in London (summer time): the purchase is April's.
            new("a", [E("2025-03-01T10:00:00Z", "home"), E("2025-03-31T23:30:00Z", "purchase", 10), E("2025-05-02T00:00:00Z", "purchase", 5)]),
            new("b", [E("2025-04-03T00:00:00Z", "purchase", 20), E("2025-04-20T00:00:00Z", "purchase", 1), E("2025-06-01T00:00:00Z", "refund", -20)]),
            new("c", [E("2025-04-05T00:00:00Z", "home")]),
        };
        var options = new RetentionOptions
        {
            StartEvents = ["purchase"], ReturnEvents = ["purchase"], To = new DateTime(2025, 6, 15, 0, 0, 0, DateTimeKind.Utc),
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London"),
        };
        var (cohorts, _) = RetentionKernel.Compute(JourneyColumns.FromJourneys(people), options);
        var april = Assert.Single(cohorts);
        Assert.Equal("2025-04", LocalCalendar.Label(april.Cohort, PeriodUnit.Month));
        Assert.Equal(2, april.Size);
        Assert.Equal([2L, 1, 0], april.Active);
        Assert.Equal([31.0, 5, -20], april.Revenue);
        Assert.Equal(2, april.Repeaters);
        var table = RetentionRows.Table(cohorts, options);
        Assert.Equal(["2025-04", 1, 2L, 1L, 0.5, 5.0, 18.0, Math.Round(5 / 31.0, 6)], table.Rows[1]);
    }

    /// <summary>
    /// Fader and Hardie (2007), Table 1, "regular" segment: 1,000 customers and the share still active at the start of
    /// years 0–7 (the published table; tests/data/fader_hardie_2007 has it with its licence note). Played as
    /// monthly activity, the fit over periods 0–7 gives the published α = 0.704, β = 1.182 (LL −1680.27).
    /// </summary>
    [Fact]
    public void The_sbg_fit_over_cohort_survival_reproduces_fader_and_hardie()
    {
        double[] regular = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1];
        var alive = regular.Select(p => (long)Math.Round(p * 10)).ToArray();
        var people = new List<PersonJourney>();
        var id = 0;
        for (var lifetime = 1; lifetime <= alive.Length; lifetime++)
        {
            // Lost during period `lifetime` − 1 … active in periods 0 … lifetime − 1; the last group stays to the end.
            var count = lifetime < alive.Length ? alive[lifetime - 1] - alive[lifetime] : alive[^1];
            var months = lifetime < alive.Length ? lifetime : 9;
            for (var n = 0; n < count; n++, id++)
            {
                people.Add(new PersonJourney($"c{id:D4}", [.. Enumerable.Range(0, months).Select(m =>
                    new JourneyEvent(EventTime.ToMicros(new DateTime(2020, 1 + m, 10, 0, 0, 0, DateTimeKind.Utc)), $"m{m}", "track", "renewal", null, null, null, null))]));
            }
        }

        var options = new RetentionOptions { To = new DateTime(2020, 9, 15, 0, 0, 0, DateTimeKind.Utc) };
        var (cohorts, _) = RetentionKernel.Compute(JourneyColumns.FromJourneys(people), options);
        var tables = RetentionFit.SurvivalTables(cohorts);
        Assert.Equal(alive, Assert.Single(tables));
        var model = RetentionFit.FitAll(tables);
        Assert.Equal(0.704, model.Alpha, 3);
        Assert.Equal(1.182, model.Beta, 3);
        Assert.Equal(-1680.27, model.LogLikelihood, 2);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_by_name()
    {
        Assert.Contains("--cohort", Assert.Throws<PathException>(() => new RetentionReport { Cohort = "year" }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", Assert.Throws<PathException>(() => new RetentionReport { TimeZone = "Mars/Olympus" }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("--by", Assert.Throws<PathException>(() => new RetentionReport { By = "segment" }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("--fit", Assert.Throws<PathException>(() => new RetentionReport { Fit = "pareto" }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("--summary", Assert.Throws<PathException>(() => new RetentionReport { ChurnAfter = "30d" }.Check(T0)).Message, StringComparison.Ordinal);
        Assert.Contains("no cohort", Assert.Throws<PathException>(() => RetentionFit.FitAll([])).Message, StringComparison.Ordinal);
    }
}
