using System.Globalization;
using System.Text.Json;
using Pretzel.Core.Events;

namespace Pretzel.Ingest.Collect;

/// <summary>
/// Writes an accepted <see cref="Event"/> as one JSON object with Pretzel's snake_case field names: the
/// shape <c>pretzel import</c> reads back to the same event, always on one line. The collector's write-ahead log is made of
/// these lines, so a log can also be imported by hand.
/// </summary>
public static class EventJsonLine
{
    /// <summary>Writes <paramref name="e"/> as one JSON object (no newline).</summary>
    public static void Write(Utf8JsonWriter writer, Event e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString(EventColumn.MessageId, e.MessageId);
        writer.WriteString(EventColumn.Type, e.Type.Name());
        Optional(writer, EventColumn.Event, e.Name);
        writer.WriteString(EventColumn.Timestamp, Iso(e.Timestamp));
        writer.WriteString(EventColumn.ReceivedAt, Iso(e.ReceivedAt));
        Optional(writer, EventColumn.AnonymousId, e.AnonymousId);
        Optional(writer, EventColumn.UserId, e.UserId);
        Optional(writer, EventColumn.PreviousId, e.PreviousId);
        Optional(writer, EventColumn.GroupId, e.GroupId);
        Optional(writer, EventColumn.Channel, e.Channel);
        Optional(writer, EventColumn.Source, e.Source);
        Optional(writer, EventColumn.Medium, e.Medium);
        Optional(writer, EventColumn.Campaign, e.Campaign);
        Optional(writer, EventColumn.Content, e.Content);
        Optional(writer, EventColumn.Term, e.Term);
        Optional(writer, EventColumn.Referrer, e.Referrer);
        if (e.Revenue is { } revenue)
        {
            writer.WriteNumber(EventColumn.Revenue, revenue);
        }

        Optional(writer, EventColumn.Currency, e.Currency);
        if (e.Properties is { } properties)
        {
            writer.WritePropertyName(EventColumn.Properties);
            if (properties.AsSpan().IndexOfAny('\n', '\r') >= 0)
            {
                // Line breaks between the tokens of a pretty-printed object would split the line.
                using var doc = JsonDocument.Parse(properties);
                doc.RootElement.WriteTo(writer);
            }
            else
            {
                writer.WriteRawValue(properties, skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A UTC time as ISO-8601 with seven fraction digits: what the import's parser reads back exactly.</summary>
    internal static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
