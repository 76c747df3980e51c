using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Pretzel.Core.Storage;

/// <summary>
/// Query rows as JSON: an array of objects with the result's column names as keys, the shape shared by
/// the CLI's <c>--format json</c> and the HTTP query API, so scripts can switch between them.
/// </summary>
public static class RowJson
{
    /// <summary>Writes rows as a JSON array of objects keyed by column name.</summary>
    public static void WriteRows(Utf8JsonWriter json, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i]);
                WriteValue(json, row[i]);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }


    /// <summary>Writes one value: numbers as numbers (non-finite as null), lists as arrays, maps as objects, times as ISO-8601 UTC text.</summary>
    public static void WriteValue(Utf8JsonWriter json, object? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case double d when !double.IsFinite(d):
                json.WriteNullValue();
                break;
            case float f when !float.IsFinite(f):
                json.WriteNullValue();
                break;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case BigInteger big:
                json.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                break;
            case IDictionary dict:
                json.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    json.WritePropertyName(Convert.ToString(e.Key, CultureInfo.InvariantCulture)!);
                    WriteValue(json, e.Value);
                }

                json.WriteEndObject();
                break;
            case IEnumerable list and not string:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Text(value));
                break;
        }
    }

    /// <summary>A value as text: ISO-8601 UTC for times, round-trip numbers, JSON arrays for lists.</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTime t => (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => JsonSerializer.Serialize(list.Cast<object?>().Select(x => x is null ? null : Text(x))),
        _ => value.ToString() ?? "",
    };
}
