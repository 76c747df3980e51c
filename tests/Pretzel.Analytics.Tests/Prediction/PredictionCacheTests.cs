using System.Collections;
using CsCheck;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Prediction;
using Pretzel.Core.Costs;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Tests.Prediction;

/// <summary>
/// A long-running process passes one <see cref="PredictionModelCache"/> to every report: a model trained on the fly is
/// trained once per data (columns instance) and options, and again when the store's columns are new.
/// </summary>
public sealed class PredictionCacheTests
{
    [Fact]
    public async Task A_second_run_over_the_same_columns_reuses_the_model_and_new_columns_train_again()
    {
        var people = TrainablePeople();
        var store = new ColumnsStore(JourneyColumns.FromJourneys(people));
        var cache = new PredictionModelCache();
        var notices = new List<string>();
        var report = new PredictReport { View = "open", Lookback = "40d", Horizon = "15d", Cache = cache, Notice = notices.Add };
        var now = PredictionData.T0.AddDays(100);

        var first = await report.RunAsync(store, now);
        Assert.Equal(1, cache.Trainings);
        Assert.Contains(notices, n => n.Contains("trained one on the fly and kept it in memory", StringComparison.Ordinal));
        Assert.NotEmpty(first.Rows);

        notices.Clear();
        var second = await report.RunAsync(store, now);
        Assert.Equal(1, cache.Trainings);
        Assert.Contains(notices, n => n.Contains("trained on the fly for this data earlier", StringComparison.Ordinal));
        Assert.Equal(Text(first), Text(second));

        // Other options are another model.
        await (report with { Horizon = "10d" }).RunAsync(store, now);
        Assert.Equal(2, cache.Trainings);

        // A write makes the store read new columns: the same events, but the model is trained again.
        store.Columns = JourneyColumns.FromJourneys(people);
        var third = await report.RunAsync(store, now);
        Assert.Equal(3, cache.Trainings);
        Assert.Equal(Text(first), Text(third));

        // Evaluations likewise; and a report without a cache never uses one.
        var evaluate = report with { View = "evaluate" };
        Assert.Equal(Text(await evaluate.RunAsync(store, now)), Text(await evaluate.RunAsync(store, now)));
        Assert.Equal(1, cache.Evaluations);
        await (report with { Cache = null }).RunAsync(store, now);
        Assert.Equal(3, cache.Trainings);
    }

    [Fact]
    public async Task A_saved_model_comes_before_the_cache_and_is_read_once()
    {
        var store = new ColumnsStore(JourneyColumns.FromJourneys(TrainablePeople()));
        var folder = Path.Combine(Path.GetTempPath(), "pretzel-predict-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var now = PredictionData.T0.AddDays(100);
            var report = new PredictReport { View = "open", Lookback = "40d", Horizon = "15d", ModelFolder = folder, Cache = new PredictionModelCache() };
            var saved = await report.TrainAsync(store, now);
            Assert.Equal(1, saved.Rows[0][0]);

            var notices = new List<string>();
            var first = await (report with { Notice = notices.Add }).RunAsync(store, now);
            var second = await (report with { Notice = notices.Add }).RunAsync(store, now);
            Assert.Equal(Text(first), Text(second));
            Assert.Equal(2, notices.Count(n => n.Contains("saved model v1", StringComparison.Ordinal)));
            Assert.Equal(0, report.Cache!.Trainings);

            // Kept after the first read: not read again while the file is unchanged.
            var json = Path.GetFullPath(Path.Combine(folder, "predict-v1.json"));
            Assert.NotNull(report.Cache.Saved(json, () => throw new InvalidOperationException("read again")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Enough people with purchases and without to train on (the scoring tests' set).</summary>
    private static List<PersonJourney> TrainablePeople()
    {
        var groups = PredictionData.People.Array[8]
            .Single(g => g.Sum(p => p.Count) >= 60 && g.Sum(p => p.Count(x => x.Events.Any(e => e.Name == "purchase"))) >= 30, seed: "0N0XIzNsQ0O2")
            ?? throw new InvalidOperationException();
        return [.. groups.SelectMany((g, i) => g.Select(p => p with { PersonId = $"{i}-{p.PersonId}" }))];
    }

    private static List<string> Text(ReportTable table) => [.. table.Rows.Select(r => string.Join("|", r))];

    /// <summary>A store that only serves columns; a new instance stands for the columns a store re-reads after a write.</summary>
    private sealed class ColumnsStore(EventColumns columns) : IEventStore
    {
        public EventColumns Columns { get; set; } = columns;

        public string Description => "columns";

        public ISqlDialect Dialect => throw new NotSupportedException();

        public Task<EventColumns> ReadEventColumnsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Columns);

        public Task<AppendResult> AppendAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IEventWriter OpenWriter() => throw new NotSupportedException();

        public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ReplaceIdentityMapAsync(IReadOnlyCollection<PersonAssignment> assignments, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<BitArray> MatchEventsAsync(EventColumns columns, string condition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> UpsertCostsAsync(IReadOnlyList<CostEntry> costs, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<CostEntry>> ReadCostsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StoreSummary> SummarizeAsync(IReadOnlyCollection<string> conversionEvents, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
