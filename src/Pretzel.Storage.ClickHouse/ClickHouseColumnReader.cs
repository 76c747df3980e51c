using System.Collections;
using System.Globalization;
using Pretzel.Core.Events;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// Parses the answer of <see cref="ColumnsSql"/> (tab-separated, no header) into <see cref="EventColumns"/>,
/// building each text column's dictionary as values arrive. Row keys are <c>cityHash64(message_id)</c>,
/// which <see cref="MatchSql"/> answers in too.
/// </summary>
internal static class ClickHouseColumnReader
{
    private const int Fields = 10;

    internal const string ColumnsSql = """
        SELECT person_id, timestamp_us, toString(type), toString(event), toString(channel), toString(source),
               toString(medium), toString(campaign), toInt64(cityHash64(message_id)), ifNull(revenue, nan)
        FROM person_events
        WHERE person_id IS NOT NULL
        ORDER BY person_id, timestamp_us, message_id
        FORMAT TabSeparated
        """;

    internal static string MatchSql(string condition) =>
        $"SELECT toInt64(cityHash64(message_id)) FROM events WHERE {condition} FORMAT TabSeparated";

    internal static EventColumns Parse(string body, CancellationToken cancellationToken)
    {
        var people = new List<string>();
        var starts = new List<int>();
        var micros = new List<long>();
        var types = new List<byte>();
        var keys = new List<long>();
        var revenue = new List<double>();
        var coded = Enumerable.Range(0, 5).Select(_ => new Coder()).ToArray();
        var fields = new Range[Fields];
        string? person = null;
        var n = 0;
        foreach (var lineRange in body.AsSpan().Split('\n'))
        {
            var line = body.AsSpan()[lineRange];
            if (line.IsEmpty)
            {
                continue;
            }

            if ((n & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (line.Split(fields, '\t') != Fields)
            {
                throw new FormatException($"ClickHouse answered a row with other than {Fields} fields: {ClickHouseResultReader.Preview(line.ToString())}");
            }

            var id = line[fields[0]];
            if (person is null || !id.SequenceEqual(person))
            {
                person = ClickHouseTsv.Unescape(id);
                people.Add(person);
                starts.Add(n);
            }

            micros.Add(long.Parse(line[fields[1]], CultureInfo.InvariantCulture));
            types.Add(EventTypes.TryParse(line[fields[2]], out var type) ? (byte)type!.Value : byte.MaxValue);
            for (var c = 0; c < coded.Length; c++)
            {
                coded[c].Add(line[fields[3 + c]]);
            }

            keys.Add(long.Parse(line[fields[8]], CultureInfo.InvariantCulture));
            var value = line[fields[9]];
            revenue.Add(value is "nan" or "-nan" or @"\N" ? double.NaN : double.Parse(value, CultureInfo.InvariantCulture));
            n++;
        }

        starts.Add(n);
        return new EventColumns([.. people], [.. starts], [.. micros], [.. types],
            coded[0].Column(), coded[1].Column(), coded[2].Column(), coded[3].Column(), coded[4].Column(), [.. revenue], [.. keys]);
    }

    /// <summary>Which events (by position in <paramref name="columns"/>) have one of the row keys in <paramref name="body"/>.</summary>
    internal static BitArray Match(EventColumns columns, string body)
    {
        var matching = new HashSet<long>();
        foreach (var lineRange in body.AsSpan().Split('\n'))
        {
            var line = body.AsSpan()[lineRange];
            if (!line.IsEmpty)
            {
                matching.Add(long.Parse(line, CultureInfo.InvariantCulture));
            }
        }

        var result = new BitArray(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            result[i] = matching.Contains(columns.RowKeys[i]);
        }

        return result;
    }

    // Builds one text column's codes and labels; an empty value or \N (NULL) is no value.
    private sealed class Coder
    {
        // Keyed by the field as it travels (escaped), so most rows need no unescaping.
        private readonly Dictionary<string, int> _byField = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly Dictionary<string, int> _byLabel = new(StringComparer.Ordinal);
        private readonly List<string> _labels = [];
        private readonly List<int> _values = [];

        internal Coder() => _lookup = _byField.GetAlternateLookup<ReadOnlySpan<char>>();

        internal void Add(ReadOnlySpan<char> field)
        {
            if (field.IsEmpty || field is @"\N")
            {
                _values.Add(-1);
                return;
            }

            if (!_lookup.TryGetValue(field, out var code))
            {
                var label = ClickHouseTsv.Unescape(field);
                if (!_byLabel.TryGetValue(label, out code))
                {
                    code = _labels.Count;
                    _labels.Add(label);
                    _byLabel[label] = code;
                }

                _lookup.TryAdd(field, code);
            }

            _values.Add(code);
        }

        internal CodedColumn Column() => new([.. _values], [.. _labels]);
    }
}
