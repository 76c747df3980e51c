using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Prediction;

/// <summary>Random people and options for the prediction tests.</summary>
internal static class PredictionData
{
    internal static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly (string Name, string Type)[] Names =
        [("home", "page"), ("pricing", "page"), ("blog", "page"), ("purchase", "track"), ("email_opened", "track"), ("sign_up", "track"), ("refused", "track"), ("order_completed", "track")];

    private static readonly string?[] Channels = [null, "email", "paid_search", "direct", "display"];
    private static readonly string?[] Campaigns = [null, "spring", "fall"];

    /// <summary>Up to 40 people of up to 25 events over 60 days; minutes apart often enough to share sessions.</summary>
    internal static readonly Gen<List<PersonJourney>> People =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, 60 * 24 * 6], Gen.Int[0, Channels.Length - 1], Gen.Int[0, Campaigns.Length - 1]).Array[0, 25].Array[1, 40]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddMinutes(e.Item2 * 10)), $"m{i:D3}", Names[e.Item1].Type, Names[e.Item1].Name,
                    Channels[e.Item3], null, null, Campaigns[e.Item4]))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    internal static readonly Gen<PredictionOptions> Options =
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 40], Gen.Int[1, 20], Gen.Int[1, 4], Gen.Bool)
            .Select((touch, lookbackDays, horizonDays, order, both) => new PredictionOptions
            {
                Touch = (TouchKind)touch,
                Lookback = TimeSpan.FromDays(lookbackDays),
                Horizon = TimeSpan.FromDays(horizonDays),
                Order = order,
                To = T0.AddDays(61),
                ConversionEvents = both ? ["purchase", "order_completed"] : ["purchase"],
            });

    /// <summary>Moments every 3 days through the data.</summary>
    internal static long[] Moments() => [.. Enumerable.Range(1, 20).Select(d => EventTime.ToMicros(T0.AddDays(3 * d)))];

    /// <summary>The columns, stages and layout of <paramref name="people"/>.</summary>
    internal static (EventColumns Columns, JourneyStages Stages, FeatureLayout Layout) Prepare(List<PersonJourney> people, PredictionOptions options)
    {
        var columns = JourneyColumns.FromJourneys(people);
        var stages = JourneyStages.MatchAsync(columns, options.Stages, null).GetAwaiter().GetResult();
        var layout = FeatureLayout.Build(columns, options, long.MaxValue);
        return (columns, stages, layout);
    }
}
