using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using Pretzel.Core.Events;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// The event columns of a store file, kept beside it (<c>STORE.columns</c>) so that they are sorted once
/// per state of the store, not once per command: most of reading the columns is DuckDB's sort by person
/// (12 s for 10M events here), while loading this file takes a fraction of a second. The file records a
/// fingerprint of what the columns were read from: when the store was created (its migrations' times,
/// so a new store of the same name never matches), its event count and last row id (events are only
/// ever appended), the identity map, and the column types (whose ENUM versions change with their
/// labels). A file whose fingerprint differs from
/// the store's is read again and replaced. Writing it is best effort: a folder that cannot be written
/// only means the columns are read from the store each time. <c>PRETZEL_COLUMN_CACHE=0</c> turns it off.
/// </summary>
internal static class DuckDbColumnCache
{
    private const string Magic = "PRETZEL-COLUMNS-2";

    internal static bool Enabled => Environment.GetEnvironmentVariable("PRETZEL_COLUMN_CACHE") is not ("0" or "off" or "false");

    internal static string PathFor(string storePath) => storePath + ".columns";

    /// <summary>What the columns depend on, as one string.</summary>
    internal static string Fingerprint(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT string_agg(version || '@' || epoch_us(applied_at), ',' ORDER BY version) FROM schema_migrations)
                || '|' || (SELECT count(*) || '/' || coalesce(max(rowid), -1) FROM events)
                || '|' || (SELECT count(*) || '/' || coalesce(bit_xor(hash(kind, id, person_id)), 0) FROM identities)
                || '|' || (SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY column_index) FROM duckdb_columns() WHERE table_name = 'events')
            """;
        return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>The columns in <paramref name="file"/> when it was written for <paramref name="fingerprint"/>; null otherwise.</summary>
    internal static EventColumns? TryLoad(string file, string fingerprint)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadString() != fingerprint)
            {
                return null;
            }

            var people = ReadStrings(reader);
            var starts = ReadArray<int>(reader);
            var micros = ReadArray<long>(reader);
            var types = ReadArray<byte>(reader);
            var coded = new CodedColumn[5];
            for (var c = 0; c < coded.Length; c++)
            {
                var labels = ReadStrings(reader);
                coded[c] = new CodedColumn(ReadArray<int>(reader), labels);
            }

            var revenue = ReadArray<double>(reader);
            var keys = ReadArray<long>(reader);
            return new EventColumns(people, starts, micros, types, coded[0], coded[1], coded[2], coded[3], coded[4], revenue, keys);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            // Missing, unreadable, cut short or from another build: read the store instead.
            return null;
        }
    }

    /// <summary>Writes <paramref name="columns"/> to <paramref name="file"/> (through a temporary file); false when it cannot.</summary>
    internal static bool TrySave(string file, string fingerprint, EventColumns columns)
    {
        var temp = file + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(fingerprint);
                WriteStrings(writer, columns.PersonIds);
                WriteArray<int>(writer, columns.PersonStart);
                WriteArray<long>(writer, columns.Micros);
                WriteArray<byte>(writer, columns.Types);
                foreach (var column in (CodedColumn[])[columns.Event, columns.Channel, columns.Source, columns.Medium, columns.Campaign])
                {
                    WriteStrings(writer, column.Labels);
                    WriteArray<int>(writer, column.Codes);
                }

                WriteArray<double>(writer, columns.Revenue);
                WriteArray<long>(writer, columns.RowKeys);
            }

            File.Move(temp, file, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }

            return false;
        }
    }

    private static void WriteStrings(BinaryWriter writer, string[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader reader)
    {
        var values = new string[Length(reader)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadString();
        }

        return values;
    }

    private static void WriteArray<T>(BinaryWriter writer, T[] values)
        where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] ReadArray<T>(BinaryReader reader)
        where T : unmanaged
    {
        var values = new T[Length(reader)];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static int Length(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length >= 0 && length <= reader.BaseStream.Length ? length : throw new FormatException("bad length in a column file");
    }
}
