using Pretzel.Core.Events;

namespace Pretzel.Ingest.Import;

/// <summary>Names of <see cref="EventField"/> and the header spellings recognised for them.</summary>
internal static class EventFields
{
    internal const int Count = (int)EventField.Properties + 1;

    private static readonly string[] Canonical =
    [
        EventColumn.MessageId, EventColumn.Type, EventColumn.Event, EventColumn.Timestamp, EventColumn.ReceivedAt,
        EventColumn.AnonymousId, EventColumn.UserId, EventColumn.PreviousId, EventColumn.GroupId, EventColumn.Channel,
        EventColumn.Source, EventColumn.Medium, EventColumn.Campaign, EventColumn.Content, EventColumn.Term,
        EventColumn.Referrer, EventColumn.Revenue, EventColumn.Currency, EventColumn.Properties,
    ];

    // Keys are header names lower-cased with '_', '-', ' ' and '.' removed, so messageId, message_id and
    // "Message ID" all match.
    private static readonly Dictionary<string, EventField> Aliases = new(StringComparer.Ordinal)
    {
        ["messageid"] = EventField.MessageId,
        ["type"] = EventField.Type,
        ["event"] = EventField.Event,
        ["eventname"] = EventField.Event,
        ["name"] = EventField.Event,
        ["timestamp"] = EventField.Timestamp,
        ["time"] = EventField.Timestamp,
        ["receivedat"] = EventField.ReceivedAt,
        ["anonymousid"] = EventField.AnonymousId,
        ["userid"] = EventField.UserId,
        ["previousid"] = EventField.PreviousId,
        ["groupid"] = EventField.GroupId,
        ["channel"] = EventField.Channel,
        ["source"] = EventField.Source,
        ["utmsource"] = EventField.Source,
        ["medium"] = EventField.Medium,
        ["utmmedium"] = EventField.Medium,
        ["campaign"] = EventField.Campaign,
        ["utmcampaign"] = EventField.Campaign,
        ["content"] = EventField.Content,
        ["utmcontent"] = EventField.Content,
        ["term"] = EventField.Term,
        ["utmterm"] = EventField.Term,
        ["referrer"] = EventField.Referrer,
        ["referer"] = EventField.Referrer,
        ["revenue"] = EventField.Revenue,
        ["currency"] = EventField.Currency,
        ["properties"] = EventField.Properties,
    };

    internal static string Name(EventField field) => Canonical[(int)field];

    /// <summary>Every canonical field name, for error messages.</summary>
    internal static string AllNames => string.Join(", ", Canonical);

    /// <summary>Recognises a header spelling of a field.</summary>
    internal static bool TryMatch(string header, out EventField field) => Aliases.TryGetValue(Key(header), out field);

    /// <summary>Only the exact canonical name (used for <c>--map</c> targets).</summary>
    internal static bool TryParseCanonical(string name, out EventField field)
    {
        var i = Array.IndexOf(Canonical, name.Trim().ToLowerInvariant());
        field = (EventField)Math.Max(i, 0);
        return i >= 0;
    }

    private static string Key(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 64)];
        var n = 0;
        foreach (var c in header)
        {
            if (c is '_' or '-' or ' ' or '.')
            {
                continue;
            }

            if (n == buffer.Length)
            {
                return string.Empty;
            }

            buffer[n++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..n]);
    }
}
