using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Graph;

/// <summary>
/// Counts the states and transitions of a <see cref="MarkovChain"/> over a path table. The rows are split into ranges
/// counted in parallel, each by its own builder, and the builders are merged; all counts are integers, so the result
/// is the same however the rows are split. A builder interns touch names to ints once (a small cache of recent touches
/// in front of a dictionary). At order 1 the state of touch <c>t</c> is <c>t + 1</c> and transient edges are counted in
/// a dense matrix while there are at most <see cref="DenseStates"/> states; otherwise (order 2 and up, or many touches)
/// every step is a <see cref="TransitionTable"/> entry keyed by the state and the touch that follows, holding the next
/// state and the step's count, so no touch list is built or hashed per step. Visits, journeys and the absorbing edges
/// are flat arrays per state. Nothing is sorted or named until the merge, where the states get their final order (by
/// their touches, ordinal), so the result does not depend on the order of the rows.
/// </summary>
internal sealed class ChainBuilder
{
    /// <summary>At order 1, transient edges are counted in a dense matrix up to this many states (8 MB of counts at the limit).</summary>
    internal const int DenseStates = 1024;

    /// <summary>Fewest rows worth a range of their own.</summary>
    internal const int RowsPerWorker = 50_000;

    // A direct-mapped cache in front of the touch dictionary, slotted by a hash of the touch's characters.
    private const int TouchCacheBits = 10;
    private const int TouchCacheSize = 1 << TouchCacheBits;

    private readonly int _order;
    private readonly ulong[] _hashes;
    private readonly Dictionary<string, int> _touchIds = new(StringComparer.Ordinal);
    private readonly string?[] _cachedTouch = new string?[TouchCacheSize];
    private readonly int[] _cachedId = new int[TouchCacheSize];
    private readonly List<string?> _touchNames = [];
    private ulong[] _touchHashes = new ulong[16];
    private int _nullTouch = -1;

    // States: 0 is (start); a state's touches are ids into _touchNames (at order 1, state s is touch s − 1).
    private readonly List<int[]> _stateTouches = [[]];
    private readonly Dictionary<StateKey, int> _stateIds = [];
    private int _states = 1;
    private long[] _visits = new long[16];
    private long[] _journeys = new long[16];
    private long[] _conversions = new long[16];
    private long[] _nulls = new long[16];
    private int[] _stamp = new int[16];
    private int _row;

    // Transient edges: at order 1 a dense _capacity × _capacity matrix (row = from, column = to) while it is small,
    // else the steps of the transition table.
    private int _capacity = 16;
    private long[]? _dense;
    private TransitionTable? _steps;
    private string[] _buffer = new string[16];

    private ChainBuilder(int order, ulong[] hashes)
    {
        _order = order;
        _hashes = hashes;
        if (order == 1)
        {
            _dense = new long[_capacity * _capacity];
        }
        else
        {
            _steps = new TransitionTable();
        }
    }

    /// <summary>The index of the row of this builder's range it stopped at (a negative count or an exception), or −1.</summary>
    private int Failed { get; set; } = -1;

    /// <summary>What was thrown at <see cref="Failed"/>, or null when that row had a negative count.</summary>
    private ExceptionDispatchInfo? Exception { get; set; }

    private long Journeys { get; set; }

    private long Conversions { get; set; }

    /// <summary>
    /// Counts the chain of <paramref name="rows"/> in up to <paramref name="workers"/> ranges in parallel, each of at
    /// least <paramref name="rowsPerWorker"/> rows. Fails as counting them in order would: at the first row, in table
    /// order, with a negative count (or that throws).
    /// </summary>
    internal static Counted Count(PathRow[] rows, int order, int workers, int rowsPerWorker = RowsPerWorker)
    {
        var hashes = new ulong[rows.Length];
        var parts = Math.Clamp(Math.Min(workers, rows.Length / Math.Max(1, rowsPerWorker)), 1, Math.Max(1, rows.Length));
        var builders = new ChainBuilder[parts];
        for (var part = 0; part < parts; part++)
        {
            builders[part] = new ChainBuilder(order, hashes);
        }

        if (parts == 1)
        {
            builders[0].AddRange(rows, 0, rows.Length);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
                builders[part].AddRange(rows, (int)((long)rows.Length * part / parts), (int)((long)rows.Length * (part + 1) / parts)));
        }

        // Ranges are in table order and each stops at its first failure, so the first failing range has the first failure.
        foreach (var builder in builders)
        {
            if (builder.Failed < 0)
            {
                continue;
            }

            builder.Exception?.Throw();
            var row = rows[builder.Failed];
            throw new ArgumentException($"The path '{row.Path}' has a negative count ({row.Conversions} conversions, {row.Nulls} nulls).", nameof(rows));
        }

        return Merge(builders, rows, hashes);
    }

    private void AddRange(PathRow[] rows, int from, int to)
    {
        var i = from;
        try
        {
            for (; i < to; i++)
            {
                if (!Add(rows[i], i))
                {
                    Failed = i;
                    return;
                }
            }
        }
        catch (Exception e)
        {
            Failed = i;
            Exception = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>Counts one row; false when it has a negative count.</summary>
    private bool Add(PathRow row, int index)
    {
        var conversions = row.Conversions;
        var nulls = row.Nulls;
        if (conversions < 0 || nulls < 0)
        {
            return false;
        }

        var weight = conversions + nulls;
        if (weight == 0)
        {
            return true;
        }

        var stamp = ++_row;
        var touches = Span(row.Touches);
        _visits[0] += weight;
        _journeys[0] += weight;
        var hash = ObservedPaths.Seed;
        var previous = 0;
        foreach (var touch in touches)
        {
            var t = TouchId(touch);
            hash = ObservedPaths.Step(hash, _touchHashes[t]);
            int state;
            if (_dense is { } dense)
            {
                state = t + 1;
                dense[(previous * _capacity) + state] += weight;
            }
            else
            {
                state = Step(previous, t, weight);
            }

            _visits[state] += weight;
            if (_stamp[state] != stamp)
            {
                _stamp[state] = stamp;
                _journeys[state] += weight;
            }

            previous = state;
        }

        _conversions[previous] += conversions;
        _nulls[previous] += nulls;
        Journeys += weight;
        Conversions += conversions;
        _hashes[index] = hash;
        return true;
    }

    /// <summary>The builders' counts together, states in their final order: (start), then touch states sorted by their touches.</summary>
    private static Counted Merge(ChainBuilder[] builders, PathRow[] rows, ulong[] hashes)
    {
        // Touches in ordinal order (null first, as CompareOrdinal has it); a touch's global id is its rank.
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var hasNull = false;
        foreach (var builder in builders)
        {
            foreach (var name in builder._touchNames)
            {
                if (name is null)
                {
                    hasNull = true;
                }
                else
                {
                    distinct.Add(name);
                }
            }
        }

        var sortedNames = distinct.ToArray();
        Array.Sort(sortedNames, string.CompareOrdinal);
        string[] touches = hasNull ? [null!, .. sortedNames] : sortedNames;
        var rankOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = hasNull ? 1 : 0; r < touches.Length; r++)
        {
            rankOf[touches[r]] = r;
        }

        // States of every builder, keyed by their touches' ranks; the keys sort as the touches do.
        var keys = new List<int[]> { Array.Empty<int>() };
        var ids = new Dictionary<StateKey, int>();
        var stateMaps = new int[builders.Length][];
        for (var b = 0; b < builders.Length; b++)
        {
            var builder = builders[b];
            var touchMap = builder._touchNames.ConvertAll(name => name is null ? 0 : rankOf[name]);
            var stateMap = stateMaps[b] = new int[builder._states];
            for (var s = 1; s < builder._states; s++)
            {
                var local = builder._stateTouches[s];
                var key = new int[local.Length];
                for (var i = 0; i < key.Length; i++)
                {
                    key[i] = touchMap[local[i]];
                }

                if (!ids.TryGetValue(new StateKey(key), out var id))
                {
                    id = keys.Count;
                    keys.Add(key);
                    ids.Add(new StateKey(key), id);
                }

                stateMap[s] = id;
            }
        }

        var n = keys.Count;
        var sorted = new int[n];
        for (var s = 0; s < n; s++)
        {
            sorted[s] = s;
        }

        Array.Sort(sorted, 1, n - 1, Comparer<int>.Create((a, b) => CompareKeys(keys[a], keys[b])));
        var place = new int[n];
        for (var i = 0; i < n; i++)
        {
            place[sorted[i]] = i;
        }

        // Counts of all builders by final place; transient edges per state, sorted by target with duplicates summed.
        var visits = new long[n];
        var journeys = new long[n];
        var conversions = new long[n];
        var nulls = new long[n];
        var transient = new List<(int To, long Count)>[n];
        for (var s = 0; s < n; s++)
        {
            transient[s] = [];
        }

        long journeyCount = 0, conversionCount = 0;
        for (var b = 0; b < builders.Length; b++)
        {
            var builder = builders[b];
            var map = stateMaps[b];
            for (var s = 0; s < builder._states; s++)
            {
                var p = place[map[s]];
                visits[p] += builder._visits[s];
                journeys[p] += builder._journeys[s];
                conversions[p] += builder._conversions[s];
                nulls[p] += builder._nulls[s];
            }

            foreach (var (from, to, count) in builder.Edges())
            {
                transient[place[map[from]]].Add((place[map[to]], count));
            }

            journeyCount += builder.Journeys;
            conversionCount += builder.Conversions;
        }

        var names = new string[n][];
        var outEdges = new (int To, long Count)[n][];
        for (var i = 0; i < n; i++)
        {
            var key = keys[sorted[i]];
            var name = new string[key.Length];
            for (var j = 0; j < key.Length; j++)
            {
                name[j] = touches[key[j]];
            }

            names[i] = name;
            var edges = transient[i];
            edges.Sort((x, y) => x.To.CompareTo(y.To));
            var merged = new List<(int To, long Count)>(edges.Count + 2);
            foreach (var edge in edges)
            {
                if (merged.Count > 0 && merged[^1].To == edge.To)
                {
                    merged[^1] = (edge.To, merged[^1].Count + edge.Count);
                }
                else
                {
                    merged.Add(edge);
                }
            }

            if (conversions[i] > 0)
            {
                merged.Add((MarkovChain.ConversionTarget, conversions[i]));
            }

            if (nulls[i] > 0)
            {
                merged.Add((MarkovChain.NullTarget, nulls[i]));
            }

            outEdges[i] = [.. merged];
        }

        return new Counted(names, outEdges, visits, journeys, touches, journeyCount, conversionCount, new ObservedPaths(rows, hashes));
    }

    /// <summary>Touch sequences by rank, element by element, a prefix first.</summary>
    private static int CompareKeys(int[] x, int[] y)
    {
        var c = x.AsSpan().SequenceCompareTo(y);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }

    /// <summary>Every transient edge counted: its state, the state it leads to and its journeys.</summary>
    private IEnumerable<(int From, int To, long Count)> Edges()
    {
        if (_dense is { } dense)
        {
            for (var from = 0; from < _states; from++)
            {
                for (var to = 1; to < _states; to++)
                {
                    var count = dense[(from * _capacity) + to];
                    if (count != 0)
                    {
                        yield return (from, to, count);
                    }
                }
            }
        }
        else
        {
            foreach (var step in _steps!.Steps())
            {
                yield return step;
            }
        }
    }

    private ReadOnlySpan<string> Span(IReadOnlyList<string> touches)
    {
        switch (touches)
        {
            case string[] array:
                return array;
            case List<string> list:
                return CollectionsMarshal.AsSpan(list);
            default:
                var count = touches.Count;
                if (_buffer.Length < count)
                {
                    _buffer = new string[Math.Max(count, _buffer.Length * 2)];
                }

                for (var i = 0; i < count; i++)
                {
                    _buffer[i] = touches[i];
                }

                return _buffer.AsSpan(0, count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TouchId(string touch)
    {
        if (touch is null)
        {
            return _nullTouch >= 0 ? _nullTouch : _nullTouch = NewTouch(null);
        }

        // Slotted by a hash of the characters, so the same touch always lands in the same slot, whether rows share the
        // string instances or not. A hit is confirmed by comparing the strings (by reference first), a miss falls back
        // to the dictionary.
        var slot = (int)(ObservedPaths.TouchHash(touch) >> (64 - TouchCacheBits));
        var cached = _cachedTouch[slot];
        if (ReferenceEquals(cached, touch) || string.Equals(cached, touch, StringComparison.Ordinal))
        {
            return _cachedId[slot];
        }

        if (!_touchIds.TryGetValue(touch, out var id))
        {
            id = NewTouch(touch);
            _touchIds.Add(touch, id);
        }

        _cachedTouch[slot] = touch;
        _cachedId[slot] = id;
        return id;
    }

    private int NewTouch(string? touch)
    {
        var id = _touchNames.Count;
        _touchNames.Add(touch);
        if (id == _touchHashes.Length)
        {
            Array.Resize(ref _touchHashes, id * 2);
        }

        _touchHashes[id] = ObservedPaths.TouchHash(touch);
        if (_order == 1)
        {
            NewState([id]);
        }

        return id;
    }

    /// <summary>Counts the step from <paramref name="state"/> by <paramref name="touch"/>; returns the state it leads to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Step(int state, int touch, long weight)
    {
        var steps = _steps!;
        var slot = steps.Find(state, touch);
        if (slot < 0)
        {
            slot = steps.Insert(state, touch, ~slot, _order == 1 ? touch + 1 : NextState(state, touch));
        }

        steps.Add(slot, weight);
        return steps.Next(slot);
    }

    /// <summary>The state of order K or less after <paramref name="state"/> when <paramref name="touch"/> follows.</summary>
    private int NextState(int state, int touch)
    {
        var from = _stateTouches[state];
        var keep = Math.Min(from.Length, _order - 1);
        var touches = new int[keep + 1];
        Array.Copy(from, from.Length - keep, touches, 0, keep);
        touches[keep] = touch;
        var key = new StateKey(touches);
        if (!_stateIds.TryGetValue(key, out var id))
        {
            id = NewState(touches);
            _stateIds.Add(key, id);
        }

        return id;
    }

    private int NewState(int[] touches)
    {
        var id = _states++;
        _stateTouches.Add(touches);
        if (_states > _visits.Length)
        {
            var size = _visits.Length * 2;
            Array.Resize(ref _visits, size);
            Array.Resize(ref _journeys, size);
            Array.Resize(ref _conversions, size);
            Array.Resize(ref _nulls, size);
            Array.Resize(ref _stamp, size);
        }

        if (_dense is { } dense && _states > _capacity)
        {
            if (_capacity * 2 <= DenseStates)
            {
                var capacity = _capacity * 2;
                var grown = new long[capacity * capacity];
                for (var from = 0; from < _capacity; from++)
                {
                    dense.AsSpan(from * _capacity, _capacity).CopyTo(grown.AsSpan(from * capacity));
                }

                _dense = grown;
                _capacity = capacity;
            }
            else
            {
                // Too many touches for the matrix: its edges become steps (at order 1, state s is reached by touch s − 1).
                var steps = new TransitionTable();
                for (var from = 0; from < _capacity; from++)
                {
                    for (var to = 1; to < _capacity; to++)
                    {
                        if (dense[(from * _capacity) + to] != 0)
                        {
                            var slot = steps.Insert(from, to - 1, ~steps.Find(from, to - 1), to);
                            steps.Add(slot, dense[(from * _capacity) + to]);
                        }
                    }
                }

                _steps = steps;
                _dense = null;
            }
        }

        return id;
    }

    /// <summary>A state's touch ids, compared element by element.</summary>
    private readonly struct StateKey(int[] touches) : IEquatable<StateKey>
    {
        private readonly int[] _touches = touches;

        public bool Equals(StateKey other) => _touches.AsSpan().SequenceEqual(other._touches);

        public override bool Equals(object? obj) => obj is StateKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var t in _touches)
            {
                hash.Add(t);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>What was counted, in the final state order.</summary>
    internal sealed record Counted(
        string[][] Keys,
        (int To, long Count)[][] OutEdges,
        long[] Visits,
        long[] Journeys,
        string[] Touches,
        long JourneyCount,
        long ConversionCount,
        ObservedPaths Observed);
}
