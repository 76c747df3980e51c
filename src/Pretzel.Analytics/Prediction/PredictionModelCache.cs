using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// What <see cref="PredictReport"/> works out before scoring, kept in memory for a long-running process (the HTTP
/// server holds one per process and hands it to every report): models trained on the fly, time-split evaluations,
/// stage matches and saved models read from disk. Without it every call with no saved model trains again (about 5 s on
/// the demo). Everything worked out from data is keyed by the <see cref="EventColumns"/> instance, held weakly: a store
/// reads new columns after any write, so new data never meets an old model, and the entries go with the columns they
/// came from; and within it by everything that shapes the result (touch definition and its fingerprint, horizon, order,
/// moment of prediction, cut-off). Saved models are keyed by their file and its last write. Safe to share between
/// threads; a model is trained once even when several calls ask for it at the same time.
/// </summary>
public sealed class PredictionModelCache
{
    /// <summary>At most this many results are kept per columns instance (different options); more clears them.</summary>
    public const int MaxEntriesPerColumns = 32;

    private readonly ConditionalWeakTable<EventColumns, Entries> _byColumns = new();
    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, PredictionModel Model)> _saved = new(StringComparer.Ordinal);
    private long _trainings;
    private long _evaluations;

    /// <summary>How many models were trained on the fly through this cache (a repeated call that reuses one adds none).</summary>
    public long Trainings => Interlocked.Read(ref _trainings);

    /// <summary>How many time-split evaluations were run through this cache.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    internal PredictionModel Model(EventColumns columns, string key, Func<PredictionModel> train, out bool reused) =>
        Once(columns, "model|" + key, () =>
        {
            Interlocked.Increment(ref _trainings);
            return train();
        }, out reused);

    internal PredictionEvaluation Evaluation(EventColumns columns, string key, Func<PredictionEvaluation> evaluate, out bool reused) =>
        Once(columns, "evaluation|" + key, () =>
        {
            Interlocked.Increment(ref _evaluations);
            return evaluate();
        }, out reused);

    internal async Task<JourneyStages> StagesAsync(EventColumns columns, string key, Func<Task<JourneyStages>> match)
    {
        // Matched outside any lock with the caller's cancellation: two first calls at once may both match (cheap next to
        // training), but one call's cancellation never fails another's.
        var entries = _byColumns.GetValue(columns, _ => new Entries());
        if (entries.Values.TryGetValue("stages|" + key, out var known) && known.IsValueCreated)
        {
            return (JourneyStages)known.Value;
        }

        var stages = await match().ConfigureAwait(false);
        Put(entries, "stages|" + key, new Lazy<object>(stages));
        return stages;
    }

    /// <summary>The model saved in <paramref name="json"/> (with its zip), read again only when the file changed.</summary>
    internal PredictionModel? Saved(string json, Func<PredictionModel?> load)
    {
        var file = new FileInfo(json);
        if (file.Exists && _saved.TryGetValue(json, out var known) && known.Written == file.LastWriteTimeUtc && known.Length == file.Length)
        {
            return known.Model;
        }

        var model = load();
        if (model is not null && file.Exists)
        {
            _saved[json] = (file.LastWriteTimeUtc, file.Length, model);
        }

        return model;
    }

    private T Once<T>(EventColumns columns, string key, Func<T> make, out bool reused)
        where T : class
    {
        var entries = _byColumns.GetValue(columns, _ => new Entries());
        var created = false;
        var fresh = new Lazy<object>(() =>
        {
            created = true;
            return make();
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        var lazy = entries.Values.GetOrAdd(key, fresh);
        if (ReferenceEquals(lazy, fresh))
        {
            Bound(entries, key);
        }

        try
        {
            var value = (T)lazy.Value;
            reused = !created;
            return value;
        }
        catch
        {
            // A failure (too little data, say) is not kept: the next call tries again.
            entries.Values.TryRemove(new KeyValuePair<string, Lazy<object>>(key, lazy));
            throw;
        }
    }

    private static void Put(Entries entries, string key, Lazy<object> value)
    {
        entries.Values[key] = value;
        Bound(entries, key);
    }

    private static void Bound(Entries entries, string keep)
    {
        // A server asked with many different options (another --to on every call) must not grow without end.
        if (entries.Values.Count > MaxEntriesPerColumns)
        {
            foreach (var key in entries.Values.Keys.Where(k => k != keep).ToList())
            {
                entries.Values.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entries
    {
        internal ConcurrentDictionary<string, Lazy<object>> Values { get; } = new(StringComparer.Ordinal);
    }
}
