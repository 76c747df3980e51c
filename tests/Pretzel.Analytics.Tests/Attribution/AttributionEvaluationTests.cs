using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Attribution;

public sealed class AttributionEvaluationTests
{
    private static readonly DateTime Day = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static JourneyEvent Touch(int day, string channel) =>
        new(EventTime.ToMicros(Day.AddDays(day)), $"t{day}{channel}", "page", "home", channel, null, null, null);

    private static JourneyEvent Buy(int day) =>
        new(EventTime.ToMicros(Day.AddDays(day)), $"b{day}", "track", "purchase", null, null, null, null, null, 10);

    [Fact]
    public void Planted_conversions_weigh_each_persons_conversions_by_their_share_and_errors_follow_from_the_credits()
    {
        var people = new List<PersonJourney>
        {
            new("a", [Touch(0, "email"), Buy(1), Buy(40), Buy(70)]),
            new("b", [Touch(0, "display"), Touch(1, "email"), Buy(2)]),
            new("c", [Touch(0, "display")]),
            new("d", [Buy(3), Buy(400)]), // the second purchase is after the analysis ends
        };
        var columns = JourneyColumns.FromJourneys(people);
        var paths = new PathOptions { To = Day.AddDays(100) };
        var conversions = AttributionEvaluation.ConversionsPerPerson(columns, paths);
        var byId = columns.PersonIds.Select((id, p) => (id, p)).ToDictionary(x => x.id, x => conversions[x.p]);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 1, ["c"] = 0, ["d"] = 1 }, byId);

        var emailShare = columns.PersonIds.Select(id => id is "a" or "b" ? 0.5 : 0).ToArray();
        var planted = new List<PlantedEffect> { new("email", emailShare, "half"), new("display", new double[columns.PersonCount], "none") };
        var rows = new List<AttributionRow>
        {
            new("last_touch", "email", 4, null, null, null),
            new("last_touch", "display", 0, null, null, null),
            new("linear", "email", 3.5, null, null, null),
            new("linear", "display", 0.5, null, null, null),
        };
        var result = AttributionEvaluation.Evaluate(rows, planted, conversions);
        Assert.Equal(6, result.Count);
        Assert.Equal(new EvaluationRow("last_touch", "email", 2, 4, 2, 2.0 / 5), result[0]);
        Assert.Equal(new EvaluationRow("last_touch", "display", 0, 0, 0, 0), result[1]);
        Assert.Equal(new EvaluationRow("last_touch", EvaluationRow.MeanAbsoluteError, null, null, 1, 1.0 / 5), result[2]);
        Assert.Equal(new EvaluationRow("linear", "email", 2, 3.5, 1.5, 1.5 / 5), result[3]);
        Assert.Equal(new EvaluationRow("linear", "display", 0, 0.5, 0.5, 0.5 / 5), result[4]);
        Assert.Equal(new EvaluationRow("linear", EvaluationRow.MeanAbsoluteError, null, null, 1, 1.0 / 5), result[5]);
    }

    [Fact]
    public void Shares_for_other_people_than_the_columns_are_refused()
    {
        var rows = new List<AttributionRow> { new("linear", "email", 1, null, null, null) };
        var error = Assert.Throws<ArgumentException>(() => AttributionEvaluation.Evaluate(rows, [new PlantedEffect("email", [1, 0], "x")], [1, 0, 0]));
        Assert.Contains("email", error.Message, StringComparison.Ordinal);
    }
}
