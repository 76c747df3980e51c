using System.Text.Json;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Maps one JSON message, in Pretzel's snake_case shape or as a Segment message (<c>messageId</c>,
/// <c>anonymousId</c>, <c>context.campaign</c>, <c>context.page</c>, <c>traits</c>…), onto a
/// <see cref="RawRow"/>. Keys that are not event fields become properties. In envelope mode (messages
/// received by the collector) the keys that describe the delivery rather than the event
/// (<c>sentAt</c>, <c>receivedAt</c>, <c>writeKey</c>, <c>integrations</c>, <c>_metadata</c>…) are dropped,
/// and the device fields of <c>context</c> (<c>userAgent</c>, <c>ip</c>, <c>locale</c>) become properties.
/// </summary>
internal sealed class SegmentMessageMapper
{
    private static readonly HashSet<string> EnvelopeKeys = new(StringComparer.Ordinal)
    {
        "sentAt", "receivedAt", "writeKey", "integrations", "_metadata", "options", "version", "originalTimestamp", "requestId",
    };

    private readonly Dictionary<string, ColumnTarget> _map;
    private readonly StringPool _pool = new();
    private readonly bool _envelope;

    internal SegmentMessageMapper(Dictionary<string, ColumnTarget> map, bool envelope)
    {
        _map = map;
        _envelope = envelope;
    }

    internal RowError? Fill(RawRow row, JsonElement root)
    {
        JsonElement? traits = null;
        foreach (var p in root.EnumerateObject())
        {
            var key = p.Name;
            if (_envelope && EnvelopeKeys.Contains(key))
            {
                continue;
            }

            ColumnTarget target;
            if (_map.TryGetValue(key, out var mapped))
            {
                target = mapped;
            }
            else if (key == "context" && p.Value.ValueKind == JsonValueKind.Object)
            {
                ReadContext(row, p.Value);
                continue;
            }
            else if (key == "traits" && p.Value.ValueKind == JsonValueKind.Object)
            {
                traits = p.Value;
                continue;
            }
            else if (key == "channel" && IsSegmentLibrary(p.Value))
            {
                if (_envelope)
                {
                    continue;
                }

                // Segment's "channel" names the library that sent the message, not a marketing channel.
                target = new ColumnTarget(null, key);
            }
            else if (EventFields.TryMatch(key, out var field))
            {
                target = new ColumnTarget(field, null);
            }
            else
            {
                target = new ColumnTarget(null, key);
            }

            if (target.IsDropped || p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (target.Field == EventField.Properties)
            {
                if (p.Value.ValueKind != JsonValueKind.Object)
                {
                    return new RowError(row.Line, key, RowError.Shorten(p.Value.GetRawText()), "properties must be a JSON object");
                }

                row[EventField.Properties] = p.Value.GetRawText();
                if (_envelope)
                {
                    row.PropertiesElement = p.Value;
                }

                TakeFromProperties(row, p.Value);
                continue;
            }

            if (target.Field is { } f)
            {
                if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    return new RowError(row.Line, key, RowError.Shorten(p.Value.GetRawText()), "expected a text or number value");
                }

                var text = Text(p.Value);
                row.Values[(int)f] = StringPool.IsLowCardinality(f) ? _pool.Get(text) : text;
            }
            else
            {
                row.Extras.Add(new(target.Property!, Text(p.Value)));
            }
        }

        if (traits is { } t && row[EventField.Properties] is null)
        {
            row[EventField.Properties] = t.GetRawText();
            if (_envelope)
            {
                row.PropertiesElement = t;
            }
        }

        return null;
    }

    private static bool IsSegmentLibrary(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && (value.ValueEquals("browser") || value.ValueEquals("server") || value.ValueEquals("mobile") || value.ValueEquals("client"));

    // Segment puts revenue and currency in properties; Pretzel keeps them as columns too.
    private static void TakeFromProperties(RawRow row, JsonElement properties)
    {
        if (row[EventField.Revenue] is null && properties.TryGetProperty("revenue", out var revenue) && revenue.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            row[EventField.Revenue] = Text(revenue);
        }

        if (row[EventField.Currency] is null && properties.TryGetProperty("currency", out var currency) && currency.ValueKind == JsonValueKind.String)
        {
            row[EventField.Currency] = currency.GetString();
        }

        // Segment's page spec puts the referrer in the page's properties.
        if (row[EventField.Referrer] is null && properties.TryGetProperty("referrer", out var referrer) && referrer.ValueKind == JsonValueKind.String)
        {
            row[EventField.Referrer] = referrer.GetString();
        }
    }

    private void ReadContext(RawRow row, JsonElement context)
    {
        if (_envelope)
        {
            // What a collector is told about the device; files exported elsewhere keep their own columns.
            TakeExtra(row, context, "userAgent", "user_agent");
            TakeExtra(row, context, "ip", "ip");
            TakeExtra(row, context, "locale", "locale");
        }

        if (context.TryGetProperty("campaign", out var campaign) && campaign.ValueKind == JsonValueKind.Object)
        {
            Take(row, EventField.Source, campaign, "source");
            Take(row, EventField.Medium, campaign, "medium");
            Take(row, EventField.Campaign, campaign, "name");
            Take(row, EventField.Content, campaign, "content");
            Take(row, EventField.Term, campaign, "term");
        }

        if (context.TryGetProperty("page", out var page) && page.ValueKind == JsonValueKind.Object)
        {
            Take(row, EventField.Referrer, page, "referrer");
            if (page.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
            {
                row.Extras.Add(new("url", url.GetString()!));
            }
        }
    }

    private static void TakeExtra(RawRow row, JsonElement obj, string key, string property)
    {
        if (obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text
            && !row.Extras.Exists(e => e.Key == property))
        {
            row.Extras.Add(new(property, text));
        }
    }

    private void Take(RawRow row, EventField field, JsonElement obj, string key)
    {
        if (row[field] is null && obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString()!;
            row[field] = StringPool.IsLowCardinality(field) ? _pool.Get(text) : text;
        }
    }

    internal static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };
}
