using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Keeps the ENUM types of the low-cardinality event columns in step with the data. Each column has
/// one type, <c>events_COLUMN_vN</c>; when a write brings values the type lacks, a new type with the
/// union (sorted, so <c>ORDER BY</c> stays alphabetical) replaces it through <c>ALTER TABLE … SET DATA
/// TYPE</c> — measured ~65 ms per million stored rows, and only when a value is new.
/// </summary>
internal sealed class EnumColumns
{
    /// <summary>The ENUM columns, in the order <see cref="EventChunk"/> stages them.</summary>
    internal static readonly string[] Names = ["type", "event", "channel", "source", "medium", "campaign", "content", "term", "currency"];

    private readonly DuckDBConnection _connection;
    private readonly HashSet<string>[] _known = new HashSet<string>[Names.Length];
    private readonly string[] _typeNames = new string[Names.Length];
    private readonly int[] _versions = new int[Names.Length];

    internal EnumColumns(DuckDBConnection connection)
    {
        _connection = connection;
        for (var i = 0; i < Names.Length; i++)
        {
            _known[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT type_name, labels FROM duckdb_types() WHERE schema_name = 'main' AND type_name LIKE 'events\\_%\\_v%' ESCAPE '\\'";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var typeName = reader.GetString(0);
            var cut = typeName.LastIndexOf("_v", StringComparison.Ordinal);
            var column = Array.IndexOf(Names, typeName["events_".Length..cut]);
            var version = int.Parse(typeName.AsSpan(cut + 2), CultureInfo.InvariantCulture);
            if (column < 0 || version < _versions[column])
            {
                continue;
            }

            _versions[column] = version;
            _typeNames[column] = typeName;
            _known[column].Clear();
            foreach (var label in (System.Collections.IEnumerable)reader.GetValue(1))
            {
                _known[column].Add((string)label);
            }
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (_typeNames[i] is null)
            {
                throw new InvalidOperationException($"the store has no ENUM type for events.{Names[i]}");
            }
        }
    }

    /// <summary>Whether some value in <paramref name="seen"/> (one set per column) is missing from its type.</summary>
    internal bool Lacks(IReadOnlyList<HashSet<string>> seen)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            foreach (var v in seen[i])
            {
                if (!_known[i].Contains(v))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Extends the types with the values in <paramref name="seen"/> (one set per column, in
    /// <see cref="Names"/> order) that they lack. Returns whether any type changed.
    /// </summary>
    internal bool Extend(IReadOnlyList<HashSet<string>> seen)
    {
        var changed = false;
        for (var i = 0; i < Names.Length; i++)
        {
            var pending = seen[i].Where(v => !_known[i].Contains(v)).ToList();
            if (pending.Count == 0)
            {
                continue;
            }

            var labels = _known[i].Concat(pending).Order(StringComparer.Ordinal).ToList();
            var newType = $"events_{Names[i]}_v{_versions[i] + 1}";
            var sql = new StringBuilder($"CREATE TYPE {newType} AS ENUM (");
            for (var j = 0; j < labels.Count; j++)
            {
                sql.Append(j == 0 ? "'" : ", '").Append(labels[j].Replace("'", "''", StringComparison.Ordinal)).Append('\'');
            }

            sql.Append(')');
            Execute(sql.ToString());
            Execute($"ALTER TABLE events ALTER {Quote(Names[i])} SET DATA TYPE {newType}");
            Execute($"DROP TYPE {_typeNames[i]}");
            _typeNames[i] = newType;
            _versions[i]++;
            _known[i].UnionWith(pending);
            changed = true;
        }

        return changed;
    }

    /// <summary>Forgets what a rolled-back <see cref="Extend"/> added: the types are read again from the store.</summary>
    internal EnumColumns Reload() => new(_connection);

    private static string Quote(string column) => "\"" + column + "\"";

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
