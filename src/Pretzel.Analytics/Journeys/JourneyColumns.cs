using Pretzel.Core.Events;

namespace Pretzel.Analytics.Journeys;

/// <summary>Converts between person journeys (the reference implementations' input) and <see cref="EventColumns"/> (the kernels').</summary>
public static class JourneyColumns
{
    /// <summary>
    /// The columns of <paramref name="journeys"/>, people and events in the order given (each person's
    /// events must be in the columns' order: by time, then message id). Row keys are event positions.
    /// </summary>
    public static EventColumns FromJourneys(IReadOnlyList<PersonJourney> journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        var count = journeys.Sum(j => j.Events.Count);
        var starts = new int[journeys.Count + 1];
        var micros = new long[count];
        var types = new byte[count];
        var revenue = new double[count];
        var coders = new Coder[5];
        for (var c = 0; c < coders.Length; c++)
        {
            coders[c] = new Coder(count);
        }

        var i = 0;
        for (var p = 0; p < journeys.Count; p++)
        {
            starts[p] = i;
            foreach (var e in journeys[p].Events)
            {
                micros[i] = e.Micros;
                types[i] = EventTypes.TryParse(e.Type, out var type) ? (byte)type!.Value : byte.MaxValue;
                revenue[i] = e.Revenue ?? double.NaN;
                coders[0].Set(i, e.Name);
                coders[1].Set(i, e.Channel);
                coders[2].Set(i, e.Source);
                coders[3].Set(i, e.Medium);
                coders[4].Set(i, e.Campaign);
                i++;
            }
        }

        starts[^1] = count;
        return new EventColumns([.. journeys.Select(j => j.PersonId)], starts, micros, types,
            coders[0].Column(), coders[1].Column(), coders[2].Column(), coders[3].Column(), coders[4].Column(),
            revenue, [.. Enumerable.Range(0, count).Select(x => (long)x)]);
    }

    /// <summary>
    /// The journeys in <paramref name="columns"/>, with events up to <paramref name="to"/> (inclusive; null: all);
    /// people left without events are left out. Message ids are not held in columns: events carry their row key instead.
    /// </summary>
    public static IReadOnlyList<PersonJourney> ToJourneys(EventColumns columns, DateTime? to)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var end = to is { } t ? EventTime.ToMicros(t) : long.MaxValue;
        var journeys = new List<PersonJourney>(columns.PersonCount);
        for (var p = 0; p < columns.PersonCount; p++)
        {
            var events = new List<JourneyEvent>();
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1] && columns.Micros[i] <= end; i++)
            {
                var type = columns.Types[i] == byte.MaxValue ? "" : ((EventType)columns.Types[i]).Name();
                events.Add(new JourneyEvent(columns.Micros[i], columns.RowKeys[i].ToString(System.Globalization.CultureInfo.InvariantCulture), type,
                    columns.Event[i], columns.Channel[i], columns.Source[i], columns.Medium[i], columns.Campaign[i], null,
                    double.IsNaN(columns.Revenue[i]) ? null : columns.Revenue[i]));
            }

            if (events.Count > 0)
            {
                journeys.Add(new PersonJourney(columns.PersonIds[p], events));
            }
        }

        return journeys;
    }

    private sealed class Coder(int count)
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly List<string> _labels = [];
        private readonly int[] _values = new int[count];

        internal void Set(int i, string? value)
        {
            if (value is null)
            {
                _values[i] = -1;
                return;
            }

            if (!_codes.TryGetValue(value, out var code))
            {
                _codes[value] = code = _labels.Count;
                _labels.Add(value);
            }

            _values[i] = code;
        }

        internal CodedColumn Column() => new(_values, [.. _labels]);
    }
}
