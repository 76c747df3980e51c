using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Events;
using Pretzel.Ingest.Identity;
using Pretzel.Storage.DuckDb;
using Pretzel.Storage.TestSupport;

namespace Pretzel.Storage.Contract.Tests;

/// <summary>
/// Random prospects with visits, sign-ups, purchases and refusals over six months: on DuckDB, the open prospects scored
/// over the store's columns are those of the reference over the journeys loaded person by person, with its features'
/// probability; and DuckDB and the ClickHouse cluster give the same open-prospect and next-touch rows with the same saved
/// model. The DuckDB half runs always; the ClickHouse half fails, saying how to run it, without PRETZEL_TEST_CLICKHOUSE.
/// </summary>
public sealed class PredictionCrossStoreTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Channels = ["direct", "email", "paid_search", "offline_call", "organic_search", null, null];
    private static readonly string[] Names = ["view", "view", "pricing", "sign_up", "purchase", "refused", "view"];
    private readonly DuckDbEventStore _duck = DuckDbEventStore.Open(":memory:");

    public async Task InitializeAsync()
    {
        await _duck.AppendAsync(Events());
        await IdentityStitcher.RebuildAsync(_duck);
    }

    public Task DisposeAsync()
    {
        _duck.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task On_DuckDB_the_open_prospects_are_the_references()
    {
        var options = new PredictionOptions { To = To, Lookback = TimeSpan.FromDays(60), Horizon = TimeSpan.FromDays(30) };
        var columns = await _duck.ReadEventColumnsAsync();
        var stages = await JourneyStages.MatchAsync(columns, options.Stages, _duck);
        var model = PredictionTrainer.Fit(columns, stages, options, null, To);
        var layout = model.Layout;
        var scores = new ProspectScorer(model, [.. layout.Touches.Take(layout.Touches.Count - 1)]).Score(columns, stages, options);

        var expected = new SortedDictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var person in await JourneyLoader.LoadAsync(_duck, null))
        {
            if (PredictionReference.Features(person, EventTime.ToMicros(To), options, layout) is { } open)
            {
                expected[person.PersonId] = open.Features;
            }
        }

        var stage = layout.Names.ToList().IndexOf("stage_reached");
        var actual = Enumerable.Range(0, scores.Count).ToDictionary(s => columns.PersonIds[scores.Person[s]], s => s, StringComparer.Ordinal);
        Assert.Equal(expected.Keys, actual.Keys.Order(StringComparer.Ordinal));
        Assert.True(expected.Count >= 20, $"the data should leave several open prospects; got {expected.Count}");
        foreach (var (person, features) in expected)
        {
            var s = actual[person];
            Assert.Equal(model.Ensemble.Probability(features), scores.Probability[0][s], 12);
            Assert.Equal((int)features[stage], scores.Stage[s]);
        }
    }

    [Fact]
    public async Task DuckDB_and_ClickHouse_give_the_same_open_prospects_and_next_touches()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pretzel-predict-contract-" + Guid.NewGuid().ToString("N"));
        var clickHouse = await ClickHouseTestServer.OpenFreshAsync();
        try
        {
            await clickHouse.AppendAsync(Events());
            await IdentityStitcher.RebuildAsync(clickHouse);

            // One saved model (trained on DuckDB's columns) scores both stores' columns.
            var now = DateTime.UtcNow;
            var report = new PredictReport { To = "2025-07-01", Lookback = "60d", Horizon = "30d", ModelFolder = folder };
            await report.TrainAsync(_duck, now);
            foreach (var view in (string[])["open", "next_touches"])
            {
                var duck = await (report with { View = view }).RunAsync(_duck, now);
                var other = await (report with { View = view }).RunAsync(clickHouse, now);
                Assert.Equal(duck.Columns, other.Columns);
                Assert.Equal(duck.Rows.Select(Normal.Row), other.Rows.Select(Normal.Row));
                Assert.True(duck.Rows.Count >= 5, $"{view}: the data should give several rows; got {duck.Rows.Count}");
            }
        }
        finally
        {
            await ClickHouseTestServer.DropAsync(clickHouse);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>400 people, some identified half way, with 1–13 events each over the six months before <see cref="To"/>.</summary>
    private static List<Event> Events()
    {
        var random = new Random(20250701);
        var events = new List<Event>();
        for (var p = 0; p < 400; p++)
        {
            var n = random.Next(1, 14);
            var t = T0.AddHours(random.Next(0, 24 * 170));
            string? user = p % 4 == 0 ? "u" + (p / 3) : null;
            for (var i = 0; i < n && t < To; i++)
            {
                var name = Names[random.Next(Names.Length)];
                events.Add(new Event
                {
                    MessageId = $"pr-{p:D3}-{i:D2}",
                    Name = name,
                    Type = name is "view" or "pricing" ? EventType.Page : EventType.Track,
                    Revenue = name == "purchase" ? random.Next(100, 50_000) / 100.0 : null,
                    Timestamp = t,
                    ReceivedAt = t,
                    AnonymousId = "a" + p,
                    UserId = i > n / 2 ? user : null,
                    Channel = Channels[random.Next(Channels.Length)],
                });
                t = t.AddMinutes(random.Next(0, 4) == 0 ? random.Next(1, 20) : random.Next(60, 60 * 24 * 25));
            }
        }

        return events;
    }
}
