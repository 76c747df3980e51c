namespace Pretzel.Core.Events;

/// <summary>
/// A dictionary-encoded text column: one code per event, <c>-1</c> for no value, and the labels the
/// codes stand for. Label order is the store's; nothing may rely on it.
/// </summary>
public sealed class CodedColumn
{
    private Dictionary<string, int>? _index;

    public CodedColumn(int[] codes, string[] labels)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(labels);
        Codes = codes;
        Labels = labels;
    }

    /// <summary>Per event: the index into <see cref="Labels"/>, or -1 for no value.</summary>
    public int[] Codes { get; }

    public string[] Labels { get; }

    /// <summary>The text of event <paramref name="i"/>, or null.</summary>
    public string? this[int i] => Codes[i] < 0 ? null : Labels[Codes[i]];

    /// <summary>The code of <paramref name="label"/>, or -2 (matching no event) when no event has it.</summary>
    public int CodeOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _index ??= Index(Labels);
        return _index.TryGetValue(label, out var code) ? code : -2;
    }

    private static Dictionary<string, int> Index(string[] labels)
    {
        var index = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i++)
        {
            index.TryAdd(labels[i], i);
        }

        return index;
    }
}

/// <summary>
/// Every event of a store as person-sorted columns held in memory, the input of the embedded engine's
/// kernels: events are grouped by person and, within a person, ordered by time, then message id (the
/// order analyses break ties in). The order of people is the store's own (e.g. by a hash of the id). Person p's events are <c>PersonStart[p] .. PersonStart[p + 1] − 1</c>.
/// Filled by a store (<c>IEventStore.ReadEventColumnsAsync</c>) or built from plain lists in tests.
/// </summary>
public sealed class EventColumns
{
    public EventColumns(string[] personIds, int[] personStart, long[] micros, byte[] types,
        CodedColumn @event, CodedColumn channel, CodedColumn source, CodedColumn medium, CodedColumn campaign, double[] revenue, long[] rowKeys)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        ArgumentNullException.ThrowIfNull(personStart);
        ArgumentNullException.ThrowIfNull(micros);
        PersonIds = personIds;
        PersonStart = personStart;
        Micros = micros;
        Types = types;
        Event = @event;
        Channel = channel;
        Source = source;
        Medium = medium;
        Campaign = campaign;
        Revenue = revenue;
        RowKeys = rowKeys;
        var n = micros.Length;
        if (personStart.Length != personIds.Length + 1 || personStart[0] != 0 || personStart[^1] != n
            || types.Length != n || @event.Codes.Length != n || channel.Codes.Length != n || source.Codes.Length != n
            || medium.Codes.Length != n || campaign.Codes.Length != n || revenue.Length != n || rowKeys.Length != n)
        {
            throw new ArgumentException("event columns of different lengths");
        }
    }

    /// <summary>The stitched person of each person index.</summary>
    public string[] PersonIds { get; }

    /// <summary>Offsets of each person's first event; one more entry than people, the last being <see cref="Count"/>.</summary>
    public int[] PersonStart { get; }

    /// <summary>Event time, microseconds since the Unix epoch (UTC).</summary>
    public long[] Micros { get; }

    /// <summary>The <see cref="EventType"/> of each event.</summary>
    public byte[] Types { get; }

    public CodedColumn Event { get; }

    public CodedColumn Channel { get; }

    public CodedColumn Source { get; }

    public CodedColumn Medium { get; }

    public CodedColumn Campaign { get; }

    /// <summary>The event's revenue; NaN when it has none.</summary>
    public double[] Revenue { get; }

    /// <summary>
    /// The store's key of each event's row, with which a store answers which events match a condition it
    /// evaluates itself (e.g. on event properties); see <c>IEventStore.MatchRowKeysAsync</c>.
    /// </summary>
    public long[] RowKeys { get; }

    public int Count => Micros.Length;

    public int PersonCount => PersonIds.Length;

    /// <summary>The column of a text field: <c>event</c>, <c>channel</c>, <c>source</c>, <c>medium</c> or <c>campaign</c>.</summary>
    public CodedColumn Column(string field) => field switch
    {
        EventColumn.Event => Event,
        EventColumn.Channel => Channel,
        EventColumn.Source => Source,
        EventColumn.Medium => Medium,
        EventColumn.Campaign => Campaign,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a coded event column"),
    };

    /// <summary>
    /// The columns of some of the people (indexes into <see cref="PersonIds"/>, ascending), in the same order; the text
    /// columns keep their labels. <paramref name="eventIndex"/> gets, per event of the subset, its index here.
    /// </summary>
    public EventColumns Subset(IReadOnlyList<int> people, out int[] eventIndex) => Subset(people, long.MinValue, out eventIndex);

    /// <summary>
    /// As <see cref="Subset(IReadOnlyList{int}, out int[])"/>, keeping only events at or after <paramref name="sinceMicros"/>:
    /// the data as if it began then. A person left with no event (from the start) is left out.
    /// </summary>
    public EventColumns Subset(IReadOnlyList<int> people, long sinceMicros, out int[] eventIndex)
    {
        ArgumentNullException.ThrowIfNull(people);
        var kept = new List<int>(people.Count);
        var firsts = new List<int>(people.Count);
        var count = 0;
        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            if (i > 0 && p <= people[i - 1])
            {
                throw new ArgumentException("people must be ascending", nameof(people));
            }

            // A person's events are in time order: skip those before the start.
            var first = PersonStart[p];
            while (first < PersonStart[p + 1] && Micros[first] < sinceMicros)
            {
                first++;
            }

            if (first < PersonStart[p + 1] || sinceMicros == long.MinValue)
            {
                kept.Add(p);
                firsts.Add(first);
                count += PersonStart[p + 1] - first;
            }
        }

        var ids = new string[kept.Count];
        var start = new int[kept.Count + 1];
        eventIndex = new int[count];
        var at = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var p = kept[i];
            ids[i] = PersonIds[p];
            start[i] = at;
            for (var e = firsts[i]; e < PersonStart[p + 1]; e++)
            {
                eventIndex[at++] = e;
            }
        }

        start[^1] = count;

        var index = eventIndex;
        T[] Pick<T>(T[] source)
        {
            var result = new T[index.Length];
            for (var i = 0; i < index.Length; i++)
            {
                result[i] = source[index[i]];
            }

            return result;
        }

        CodedColumn Coded(CodedColumn column) => new(Pick(column.Codes), column.Labels);
        return new EventColumns(ids, start, Pick(Micros), Pick(Types), Coded(Event), Coded(Channel), Coded(Source), Coded(Medium), Coded(Campaign), Pick(Revenue), Pick(RowKeys));
    }

    /// <summary>Approximate bytes held.</summary>
    public long Bytes => (long)Count * (8 + 1 + (5 * 4) + 8 + 8) + (PersonCount * 4L);
}
