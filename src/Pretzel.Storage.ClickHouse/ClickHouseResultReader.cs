using System.Globalization;
using System.Text;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// Reads a <c>TabSeparatedWithNamesAndTypes</c> answer into a <see cref="QueryResult"/>, with values typed
/// from the column types: integers as <see cref="long"/> (a UInt64 above <see cref="long.MaxValue"/> as
/// <see cref="ulong"/>), floats as <see cref="double"/>, decimals as <see cref="decimal"/>, Date and DateTime
/// as UTC <see cref="DateTime"/>, arrays as <c>object?[]</c>, NULL as null, and everything else
/// (strings, enums, UUIDs, tuples, …) as <see cref="string"/>.
/// </summary>
internal static class ClickHouseResultReader
{
    internal static QueryResult Read(string body, TimeZoneInfo serverZone)
    {
        var lines = body.Split('\n');
        var count = lines.Length;
        if (count > 0 && lines[^1].Length == 0)
        {
            count--;
        }

        if (count < 2)
        {
            return new QueryResult([], []);
        }

        var names = lines[0].Split('\t').Select(n => ClickHouseTsv.Unescape(n)).ToArray();
        var types = lines[1].Split('\t').Select(t => ClickHouseTsv.Unescape(t)).ToArray();
        if (names.Length != types.Length)
        {
            throw new StoreException("ClickHouse sent a malformed answer (column names and types differ in number)");
        }

        var converters = types.Select(t => Converter(t, serverZone)).ToArray();
        var rows = new List<object?[]>(count - 2);
        for (var r = 2; r < count; r++)
        {
            var fields = lines[r].Split('\t');
            if (fields.Length != names.Length)
            {
                throw new StoreException($"ClickHouse sent a malformed answer (row {r - 1} has {fields.Length} fields, expected {names.Length})");
            }

            var row = new object?[names.Length];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = converters[c](fields[c]);
            }

            rows.Add(row);
        }

        return new QueryResult(names, rows);
    }

    /// <summary>Turns one escaped TSV field of type <paramref name="type"/> into a value.</summary>
    internal static Func<string, object?> Converter(string type, TimeZoneInfo serverZone)
    {
        if (Unwrap(type, "Nullable") is { } inner)
        {
            var convert = Converter(inner, serverZone);
            return field => field == ClickHouseTsv.Null ? null : convert(field);
        }

        if (Unwrap(type, "LowCardinality") is { } low)
        {
            return Converter(low, serverZone);
        }

        if (Unwrap(type, "Array") is { } element)
        {
            var convert = LiteralConverter(element, serverZone);
            return field => ParseArray(field, convert);
        }

        return FieldConverter(type, serverZone) ?? (field => ClickHouseTsv.Unescape(field));
    }

    /// <summary>Scalar types whose text is the same escaped or quoted (numbers, dates); null for other types.</summary>
    private static Func<string, object?>? FieldConverter(string type, TimeZoneInfo serverZone)
    {
        switch (type)
        {
            case "UInt8" or "UInt16" or "UInt32" or "Int8" or "Int16" or "Int32" or "Int64":
                return field => long.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case "UInt64":
                return field =>
                {
                    var value = ulong.Parse(field, NumberStyles.None, CultureInfo.InvariantCulture);
                    return value <= long.MaxValue ? (object)(long)value : value;
                };
            case "Float32" or "Float64":
                return field => ParseDouble(field);
            case "Date":
                return field => field == "0000-00-00"
                    ? DateTime.UnixEpoch
                    : DateTime.SpecifyKind(DateTime.ParseExact(field, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc);
            case "Nothing":
                return _ => null;
        }

        if (type.StartsWith("Decimal", StringComparison.Ordinal))
        {
            return field => decimal.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (type == "DateTime" || type.StartsWith("DateTime(", StringComparison.Ordinal) || type.StartsWith("DateTime64(", StringComparison.Ordinal))
        {
            var zone = ZoneOf(type) ?? serverZone;
            return field => ParseDateTime(field, zone);
        }

        return null;
    }

    /// <summary>Converters for elements inside an array literal: strings are quoted there.</summary>
    private static Func<string, object?> LiteralConverter(string type, TimeZoneInfo serverZone)
    {
        if (Unwrap(type, "Nullable") is { } inner)
        {
            var convert = LiteralConverter(inner, serverZone);
            return text => text == "NULL" ? null : convert(text);
        }

        if (Unwrap(type, "LowCardinality") is { } low)
        {
            return LiteralConverter(low, serverZone);
        }

        if (Unwrap(type, "Array") is { } element)
        {
            var convert = LiteralConverter(element, serverZone);
            return text => ParseArray(text, convert);
        }

        var scalar = FieldConverter(type, serverZone);
        return text =>
        {
            var unquoted = text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? ClickHouseTsv.Unescape(text.AsSpan(1, text.Length - 2)) : text;
            return scalar is null ? unquoted : scalar(unquoted);
        };
    }

    /// <summary>Splits <c>[e1,e2,…]</c> at top-level commas, respecting quotes and nesting.</summary>
    private static object?[] ParseArray(string text, Func<string, object?> convert)
    {
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']')
        {
            throw new StoreException($"ClickHouse sent a malformed array: {text}");
        }

        var items = new List<object?>();
        var depth = 0;
        var start = 1;
        var inQuote = false;
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (inQuote)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inQuote = false;
                }

                continue;
            }

            switch (c)
            {
                case '\'': inQuote = true; break;
                case '[' or '(': depth++; break;
                case ']' or ')': depth--; break;
                case ',' when depth == 0:
                    items.Add(convert(text[start..i]));
                    start = i + 1;
                    break;
            }
        }

        if (text.Length > 2)
        {
            items.Add(convert(text[start..^1]));
        }

        return items.ToArray();
    }

    private static double ParseDouble(string text) => text switch
    {
        "nan" or "-nan" or "+nan" => double.NaN,
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static DateTime ParseDateTime(string text, TimeZoneInfo zone)
    {
        if (text.StartsWith("0000-00-00", StringComparison.Ordinal))
        {
            return DateTime.UnixEpoch;
        }

        var local = DateTime.ParseExact(
            text,
            ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.fffffffff"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None);
        return zone == TimeZoneInfo.Utc
            ? DateTime.SpecifyKind(local, DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }

    /// <summary>The time zone named in <c>DateTime('Zone')</c> or <c>DateTime64(3, 'Zone')</c>, if any.</summary>
    private static TimeZoneInfo? ZoneOf(string type)
    {
        var open = type.IndexOf('\'', StringComparison.Ordinal);
        var close = type.LastIndexOf('\'');
        return open >= 0 && close > open ? FindZone(type[(open + 1)..close]) : null;
    }

    internal static TimeZoneInfo FindZone(string name)
    {
        if (name is "UTC" or "Etc/UTC" or "GMT" or "Etc/GMT" or "UCT" or "Zulu" or "")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new StoreException($"ClickHouse uses time zone '{name}', which this machine does not know (install tzdata)", ex);
        }
    }

    /// <summary>For <c>Name(inner)</c> returns <c>inner</c>; otherwise null.</summary>
    private static string? Unwrap(string type, string name) =>
        type.Length > name.Length + 2 && type.StartsWith(name, StringComparison.Ordinal) && type[name.Length] == '(' && type[^1] == ')'
            ? type[(name.Length + 1)..^1]
            : null;

    /// <summary>Values for messages: short and on one line.</summary>
    internal static string Preview(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Take(200))
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString().Trim();
    }
}
