using System.Collections;
using System.Globalization;
using System.Text;
using Pretzel.Core.Events;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// Parses the answer of <see cref="ColumnsSql"/> (tab-separated, no header) into <see cref="EventColumns"/> as it streams in,
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

    /// <summary>
    /// Parses the answer as it arrives, line by line from a reused buffer of UTF-8 bytes: the text is never held whole
    /// (it is ~90 bytes per event), numbers are read from the bytes, and text values are decoded only when they are
    /// not already in their column's dictionary.
    /// </summary>
    internal static async Task<EventColumns> ParseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var builder = new Builder();
        var buffer = new byte[1 << 20];
        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
            var used = builder.AddLines(buffer, filled, cancellationToken);
            Buffer.BlockCopy(buffer, used, buffer, 0, filled - used);
            filled -= used;
            if (filled == buffer.Length)
            {
                // One line longer than the buffer (ids of many kilobytes): make room.
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        builder.Add(buffer.AsSpan(0, filled)); // what follows the last newline, if anything
        return builder.Build();
    }

    /// <summary>Collects the columns row by row.</summary>
    private sealed class Builder
    {
        private readonly List<string> _people = [];
        private readonly List<int> _starts = [];
        private readonly List<long> _micros = [];
        private readonly List<int> _types = [];
        private readonly List<long> _keys = [];
        private readonly List<double> _revenue = [];
        private readonly Coder _type = new();
        private readonly Coder[] _coded = [.. Enumerable.Range(0, 5).Select(_ => new Coder())];
        private byte[] _person = [];
        private int _personLength = -1;
        private int _rows;

        /// <summary>Adds every complete line of <paramref name="buffer"/>[..<paramref name="filled"/>]; returns the bytes used.</summary>
        internal int AddLines(byte[] buffer, int filled, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var span = buffer.AsSpan(0, filled);
            var used = 0;
            int newline;
            while ((newline = span[used..].IndexOf((byte)'\n')) >= 0)
            {
                Add(span.Slice(used, newline));
                used += newline + 1;
            }

            return used;
        }

        internal EventColumns Build()
        {
            _starts.Add(_rows);
            var typeLabels = _type.Labels;
            var types = new byte[_types.Count];
            for (var i = 0; i < types.Length; i++)
            {
                types[i] = _types[i] >= 0 && EventTypes.TryParse(typeLabels[_types[i]], out var type) ? (byte)type!.Value : byte.MaxValue;
            }

            return new EventColumns([.. _people], [.. _starts], [.. _micros], types,
                _coded[0].Column(), _coded[1].Column(), _coded[2].Column(), _coded[3].Column(), _coded[4].Column(), [.. _revenue], [.. _keys]);
        }

        /// <summary>Adds one row (nothing for an empty line).</summary>
        internal void Add(ReadOnlySpan<byte> line)
        {
            if (line.IsEmpty)
            {
                return;
            }

            Span<Range> fields = stackalloc Range[Fields];
            var count = 0;
            var from = 0;
            for (var i = 0; i <= line.Length && count < Fields; i++)
            {
                if (i == line.Length || line[i] == (byte)'\t')
                {
                    fields[count++] = new Range(from, i);
                    from = i + 1;
                }
            }

            if (count != Fields || from <= line.Length)
            {
                throw new FormatException($"ClickHouse answered a row with other than {Fields} fields: {ClickHouseResultReader.Preview(Encoding.UTF8.GetString(line))}");
            }

            var id = line[fields[0]];
            if (_personLength < 0 || !id.SequenceEqual(_person.AsSpan(0, _personLength)))
            {
                _people.Add(ClickHouseTsv.Unescape(Encoding.UTF8.GetString(id)));
                _starts.Add(_rows);
                if (_person.Length < id.Length)
                {
                    _person = new byte[Math.Max(id.Length, 2 * _person.Length)];
                }

                id.CopyTo(_person);
                _personLength = id.Length;
            }

            _micros.Add(long.Parse(line[fields[1]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            _types.Add(_type.Add(line[fields[2]]));

            for (var c = 0; c < _coded.Length; c++)
            {
                _coded[c].Add(line[fields[3 + c]]);
            }

            _keys.Add(long.Parse(line[fields[8]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            var value = line[fields[9]];
            _revenue.Add(value.SequenceEqual("nan"u8) || value.SequenceEqual("-nan"u8) || value.SequenceEqual(@"\N"u8)
                ? double.NaN
                : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
            _rows++;
        }
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
        // Keyed by the field as it travels (escaped, decoded from UTF-8), so most rows need no unescaping.
        private readonly Dictionary<string, int> _byField = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly Dictionary<string, int> _byLabel = new(StringComparer.Ordinal);
        private readonly List<string> _labels = [];
        private readonly List<int> _values = [];

        internal Coder() => _lookup = _byField.GetAlternateLookup<ReadOnlySpan<char>>();

        internal IReadOnlyList<string> Labels => _labels;

        /// <summary>Adds one value; returns its code (−1 for none).</summary>
        internal int Add(ReadOnlySpan<byte> field)
        {
            if (field.IsEmpty || field.SequenceEqual(@"\N"u8))
            {
                _values.Add(-1);
                return -1;
            }

            // Field text is short (names, channels); a longer one is decoded on the heap.
            char[]? rented = null;
            var chars = field.Length <= 256 ? stackalloc char[256] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(field.Length));
            try
            {
                var text = chars[..Encoding.UTF8.GetChars(field, chars)];
                if (!_lookup.TryGetValue(text, out var code))
                {
                    var label = ClickHouseTsv.Unescape(text);
                    if (!_byLabel.TryGetValue(label, out code))
                    {
                        code = _labels.Count;
                        _labels.Add(label);
                        _byLabel[label] = code;
                    }

                    _lookup.TryAdd(text, code);
                }

                _values.Add(code);
                return code;
            }
            finally
            {
                if (rented is not null)
                {
                    System.Buffers.ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        internal CodedColumn Column() => new([.. _values], [.. _labels]);
    }
}
