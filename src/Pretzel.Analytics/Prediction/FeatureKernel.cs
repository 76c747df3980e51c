using Pretzel.Analytics.Kernels;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Prediction;

/// <summary>
/// Journey features over person-sorted <see cref="EventColumns"/>, the fast path: each person's events are walked once,
/// in time order, and at every moment asked for an open journey (no conversion yet, a touch within the lookback) is
/// written out as a sample. <see cref="PredictionReference"/> computes the same features the plain way.
/// </summary>
internal sealed class FeatureKernel
{
    private readonly EventColumns _columns;
    private readonly PredictionOptions _options;
    private readonly FeatureLayout _layout;
    private readonly JourneyStages _stages;
    private readonly TouchCoder _coder;
    private readonly bool[] _isConversion;
    private readonly long _lookback;
    private readonly long _horizon;
    private readonly long _gap;

    internal FeatureKernel(EventColumns columns, PredictionOptions options, FeatureLayout layout, JourneyStages stages)
    {
        _columns = columns;
        _options = options;
        _layout = layout;
        _stages = stages;
        _coder = new TouchCoder(columns, options.Touch, layout.Touches);
        _isConversion = PersonKernel.CodeSet(columns.Event, options.ConversionEvents);
        _lookback = options.Lookback.Ticks / 10;
        _horizon = options.Horizon.Ticks / 10;
        _gap = PredictionOptions.SessionGap.Ticks / 10;
    }

    internal FeatureLayout Layout => _layout;

    /// <summary>
    /// The open journeys at each of <paramref name="moments"/> (ascending), of people whose journey's first touch passes
    /// <paramref name="firstTouch"/> (null: all); in person order, then moment order, the same however it is split.
    /// </summary>
    internal JourneySamples Samples(long[] moments, Func<long, bool>? firstTouch = null)
    {
        var parts = new JourneySamples[PersonKernel.Ranges(_columns.PersonCount).Length];
        ForEachRange(moments, firstTouch, (r, part) => parts[r] = part);
        var all = new JourneySamples(_layout.Length, _options.Order);
        foreach (var part in parts)
        {
            all.Append(part);
        }

        return all;
    }

    /// <summary>
    /// As <see cref="Samples"/>, handing each range of people's samples to <paramref name="use"/> (in parallel) instead of
    /// keeping them all: scoring a million journeys never holds a million feature rows.
    /// </summary>
    internal void ForEachRange(long[] moments, Func<long, bool>? firstTouch, Action<int, JourneySamples> use)
    {
        var ranges = PersonKernel.Ranges(_columns.PersonCount);
        Parallel.For(0, ranges.Length, r =>
        {
            var part = new JourneySamples(_layout.Length, _options.Order);
            var state = new State(_layout.Touches.Count, _layout.Pairs.Count, _options.Order);
            for (var p = ranges[r].From; p < ranges[r].To; p++)
            {
                Person(p, moments, firstTouch, state, part);
            }

            use(r, part);
        });
    }

    private void Person(int p, long[] moments, Func<long, bool>? firstTouch, State state, JourneySamples into)
    {
        var c = _columns;
        var end = c.PersonStart[p + 1];
        var conversion = long.MaxValue;
        for (var i = c.PersonStart[p]; i < end; i++)
        {
            if (_isConversion[c.Event.Codes[i] + 1])
            {
                conversion = c.Micros[i];
                break;
            }
        }

        state.Reset();
        var e = c.PersonStart[p];
        foreach (var t in moments)
        {
            if (conversion <= t)
            {
                break;
            }

            while (e < end && c.Micros[e] <= t)
            {
                Consume(state, e++);
            }

            if (state.Touches == 0 || state.LastTouchTime < t - _lookback || (firstTouch is not null && !firstTouch(state.FirstTouchTime)))
            {
                continue;
            }

            Write(state, p, t, conversion <= t + _horizon, into);
        }
    }

    private void Consume(State s, int i)
    {
        var micros = _columns.Micros[i];
        if (s.Events == 0 || micros - s.LastEventTime > _gap)
        {
            s.Sessions++;
        }

        s.Events++;
        s.LastEventTime = micros;
        s.Stage = Math.Max(s.Stage, _stages.StageOf[i]);
        s.Refused |= _stages.Exit[i];
        var touch = _coder.Of(i);
        if (touch < 0)
        {
            return;
        }

        if (s.Counts[touch]++ == 0)
        {
            s.Distinct++;
        }

        if (s.Touches == 0)
        {
            s.FirstTouch = touch;
            s.FirstTouchTime = micros;
        }
        else if (_layout.PairSlot(s.LastTouch, touch) is >= 0 and var pair)
        {
            s.PairCounts[pair]++;
        }

        s.LastTouch = touch;
        s.LastTouchTime = micros;
        s.Touches++;
        Array.Copy(s.Recent, 1, s.Recent, 0, s.Recent.Length - 1);
        s.Recent[^1] = touch;
    }

    private void Write(State s, int p, long t, bool label, JourneySamples into)
    {
        var start = into.Features.Count;
        var width = _layout.Length;
        if (into.Features.Capacity < start + width)
        {
            into.Features.Capacity = Math.Max(start + width, into.Features.Capacity * 2);
        }

        System.Runtime.InteropServices.CollectionsMarshal.SetCount(into.Features, start + width);
        var row = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(into.Features).Slice(start, width);
        row.Clear();
        row[FeatureLayout.TouchCount] = s.Touches;
        row[FeatureLayout.EventCount] = s.Events;
        row[FeatureLayout.SessionCount] = s.Sessions;
        row[FeatureLayout.DaysSinceFirstTouch] = (float)((t - s.FirstTouchTime) / 86_400_000_000.0);
        row[FeatureLayout.DaysSinceLastTouch] = (float)((t - s.LastTouchTime) / 86_400_000_000.0);
        row[FeatureLayout.StageReached] = s.Stage;
        row[FeatureLayout.Refused] = s.Refused ? 1 : 0;
        row[FeatureLayout.DistinctTouches] = s.Distinct;
        for (var k = 0; k < s.Counts.Length; k++)
        {
            row[_layout.Count(k)] = s.Counts[k];
        }

        row[_layout.Last(s.LastTouch)] = 1;
        row[_layout.First(s.FirstTouch)] = 1;
        for (var k = 0; k < s.PairCounts.Length; k++)
        {
            row[_layout.PairFeature(k)] = s.PairCounts[k];
        }

        into.Person.Add(p);
        into.Moment.Add(t);
        into.Label.Add(label);
        into.FirstTouch.Add(s.FirstTouchTime);
        into.LastTouchTime.Add(s.LastTouchTime);
        into.Stage.Add(s.Stage);
        into.NewSession.Add(t - s.LastEventTime > _gap);
        into.PathLength.Add(s.Touches);
        into.LastTouches.AddRange(s.Recent);
    }

    /// <summary>One person's journey so far.</summary>
    private sealed class State(int touches, int pairs, int order)
    {
        internal int[] Counts { get; } = new int[touches];

        internal int[] PairCounts { get; } = new int[pairs];

        internal int[] Recent { get; } = new int[order];

        internal int Touches { get; set; }

        internal int Events { get; set; }

        internal int Sessions { get; set; }

        internal int Distinct { get; set; }

        internal byte Stage { get; set; }

        internal bool Refused { get; set; }

        internal int FirstTouch { get; set; }

        internal int LastTouch { get; set; }

        internal long FirstTouchTime { get; set; }

        internal long LastTouchTime { get; set; }

        internal long LastEventTime { get; set; }

        internal void Reset()
        {
            Array.Clear(Counts);
            Array.Clear(PairCounts);
            Array.Fill(Recent, -1);
            Touches = Events = Sessions = Distinct = 0;
            Stage = 0;
            Refused = false;
            FirstTouch = LastTouch = -1;
            FirstTouchTime = LastTouchTime = LastEventTime = 0;
        }
    }
}
