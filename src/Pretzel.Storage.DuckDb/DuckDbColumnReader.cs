using System.Collections;
using DuckDB.NET.Data;
using Pretzel.Core.Events;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Reads the store into <see cref="EventColumns"/>: DuckDB joins the identity map, sorts (in parallel)
/// by a 64-bit hash of the person, time and message id, and hands over integers only — the ENUM columns
/// as their codes (<c>enum_code</c>). People come in hash order, not id order (sorting by the id text
/// measured 1.5–3× slower); a person's id text is read once, where the hash changes. Two people with
/// the same 64-bit hash would be merged: odds about n²/2⁶⁵ for n people, 3·10⁻⁸ for a million.
/// </summary>
internal static class DuckDbColumnReader
{
    private static readonly string[] Coded = ["event", "channel", "source", "medium", "campaign"];

    // The person of an event, as the person_events view computes it.
    private const string Person = "coalesce(iu.person_id, ia.person_id, e.user_id, 'anon:' || e.anonymous_id, 'anon:' || e.previous_id)";

    internal static EventColumns Read(DuckDBConnection connection, CancellationToken cancellationToken)
    {
        var typeLabels = Labels(connection, "type");
        var typeOf = typeLabels.Select(l => EventTypes.TryParse(l, out var t) ? (byte)t!.Value : byte.MaxValue).ToArray();
        var labels = Coded.Select(c => Labels(connection, c)).ToArray();

        // An empty text is no value, as in the other store (where toString of NULL reads as empty).
        var remap = labels.Select(l => Enumerable.Range(0, l.Length).Select(i => l[i].Length == 0 ? -1 : i).ToArray()).ToArray();

        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT hash(p), p, t, ty, {string.Join(", ", Coded.Select(c => "c_" + c))}, r, v
            FROM (SELECT {Person} AS p, epoch_us(e.timestamp) AS t, e.message_id AS m,
                         enum_code(e.type)::INTEGER AS ty,
                         {string.Join(", ", Coded.Select(c => $"coalesce(enum_code(e.{c})::INTEGER, -1) AS c_{c}"))},
                         e.rowid AS r, coalesce(e.revenue, 'NaN'::DOUBLE) AS v
                  FROM events e
                  LEFT JOIN identities iu ON iu.kind = 'user' AND iu.id = e.user_id
                  LEFT JOIN identities ia ON ia.kind = 'anonymous' AND ia.id = e.anonymous_id)
            WHERE p IS NOT NULL
            ORDER BY 1, t, m
            """;
        // Exact sizes first (an event has a person exactly when it has one of these ids), so rows go straight into their arrays.
        int count;
        using (var counting = connection.CreateCommand())
        {
            counting.CommandText = "SELECT count(*) FROM events WHERE coalesce(user_id, anonymous_id, previous_id) IS NOT NULL";
            count = checked((int)Convert.ToInt64(counting.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }

        using var reader = cmd.ExecuteReader();
        var people = new List<string>();
        var starts = new List<int>();
        var micros = new long[count];
        var types = new byte[count];
        var codes = Coded.Select(_ => new int[count]).ToArray();
        var keys = new long[count];
        var revenue = new double[count];
        ulong previous = 0;
        var n = 0;
        while (reader.Read())
        {
            if ((n & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (n == count)
            {
                throw new InvalidOperationException("the store changed while its event columns were read");
            }

            var hash = reader.GetFieldValue<ulong>(0);
            if (n == 0 || hash != previous)
            {
                people.Add(reader.GetString(1));
                starts.Add(n);
                previous = hash;
            }

            micros[n] = reader.GetInt64(2);
            types[n] = typeOf[reader.GetInt32(3)];
            for (var c = 0; c < codes.Length; c++)
            {
                var code = reader.GetInt32(4 + c);
                codes[c][n] = code < 0 ? -1 : remap[c][code];
            }

            keys[n] = reader.GetInt64(4 + Coded.Length);
            revenue[n] = reader.GetDouble(5 + Coded.Length);
            n++;
        }

        if (n != count)
        {
            throw new InvalidOperationException("the store changed while its event columns were read");
        }

        starts.Add(n);
        return new EventColumns([.. people], [.. starts], micros, types,
            new CodedColumn(codes[0], labels[0]), new CodedColumn(codes[1], labels[1]),
            new CodedColumn(codes[2], labels[2]), new CodedColumn(codes[3], labels[3]),
            new CodedColumn(codes[4], labels[4]), revenue, keys);
    }

    /// <summary>Which events (by position in <paramref name="columns"/>) satisfy an SQL condition over the <c>events</c> table.</summary>
    internal static BitArray Match(DuckDBConnection connection, EventColumns columns, string condition, CancellationToken cancellationToken)
    {
        var max = columns.RowKeys.Length == 0 ? 0 : columns.RowKeys.Max();
        var byRow = new BitArray(checked((int)max + 1));
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT rowid FROM events WHERE rowid <= {max} AND ({condition})";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                byRow[(int)reader.GetInt64(0)] = true;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = new BitArray(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            result[i] = byRow[(int)columns.RowKeys[i]];
        }

        return result;
    }

    // An ENUM column's labels in code order (empty when the column is null everywhere).
    private static string[] Labels(DuckDBConnection connection, string column)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT enum_range({column})::VARCHAR[] FROM events WHERE {column} IS NOT NULL LIMIT 1";
        var value = cmd.ExecuteScalar();
        return value is IEnumerable list and not string ? [.. list.Cast<string>()] : [];
    }
}
