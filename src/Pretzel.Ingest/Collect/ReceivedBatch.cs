using System.Globalization;
using System.Text.Json;
using Pretzel.Core.Events;
using Pretzel.Ingest.Import;

namespace Pretzel.Ingest.Collect;

/// <summary>
/// Validates the messages of one collector request (a single call or a batch) with the same rules as
/// file import, so that whatever the collector accepts, its write-ahead log can be imported again
/// without a single reject. Times are corrected for the sender's clock the way Segment does it:
/// <c>timestamp = receivedAt − (sentAt − timestamp)</c> when the message or the batch carries
/// <c>sentAt</c>; a message without a timestamp happened when it was received. A message without a
/// <c>messageId</c> gets one derived from its content (as in file import), so a client that re-sends the
/// same request is still counted once.
/// </summary>
public sealed class ReceivedBatch
{
    private static readonly Dictionary<string, string> SegmentNames = new(StringComparer.Ordinal)
    {
        [EventColumn.MessageId] = "messageId",
        [EventColumn.AnonymousId] = "anonymousId",
        [EventColumn.UserId] = "userId",
        [EventColumn.PreviousId] = "previousId",
        [EventColumn.GroupId] = "groupId",
        [EventColumn.ReceivedAt] = "receivedAt",
    };

    private readonly SegmentMessageMapper _mapper = new([], envelope: true);
    private readonly EventRowBuilder _builder;
    private readonly RawRow _row = new();
    private readonly DateTime _receivedAt;
    private readonly DateTime? _sentAt;

    /// <param name="receivedAt">When the request arrived (UTC): every event's <c>received_at</c>.</param>
    /// <param name="sentAt">The batch's <c>sentAt</c>, if it has one.</param>
    /// <param name="limits">Field bounds and the accepted time range.</param>
    public ReceivedBatch(DateTime receivedAt, DateTime? sentAt, ImportLimits? limits = null)
    {
        _receivedAt = receivedAt;
        _sentAt = sentAt;
        var names = new string?[EventFields.Count];
        for (var f = 0; f < names.Length; f++)
        {
            names[f] = EventFields.Name((EventField)f);
        }

        _builder = new EventRowBuilder(names, limits ?? new ImportLimits(), receivedAt);
    }

    /// <summary>Parses a <c>sentAt</c> value; false when it is not a date-time.</summary>
    public static bool TryParseTime(JsonElement value, out DateTime utc)
    {
        utc = default;
        return value.ValueKind == JsonValueKind.String && TimestampParser.TryParse(value.GetString(), out utc);
    }

    /// <summary>
    /// Validates one message. <paramref name="impliedType"/> is the endpoint's type (<c>/v1/track</c> …);
    /// null for a batch, where each message names its own <c>type</c>.
    /// </summary>
    public bool TryAccept(JsonElement message, EventType? impliedType, out Event? accepted, out MessageError? error)
    {
        accepted = null;
        if (message.ValueKind != JsonValueKind.Object)
        {
            error = new MessageError("invalid_json", "a message must be a JSON object", null);
            return false;
        }

        var sentAt = _sentAt;
        if (message.TryGetProperty("sentAt", out var sentElement) && sentElement.ValueKind != JsonValueKind.Null)
        {
            if (!TryParseTime(sentElement, out var s))
            {
                error = new MessageError("invalid_timestamp", "sentAt is not an ISO-8601 date-time", "sentAt");
                return false;
            }

            sentAt = s;
        }

        _row.Clear();
        var mapError = _mapper.Fill(_row, message);
        if (mapError is not null)
        {
            error = ToMessageError(mapError);
            return false;
        }

        if (impliedType is { } implied)
        {
            _row[EventField.Type] = EventTypes.Name(implied);
        }
        else if (_row[EventField.Type] is null)
        {
            error = new MessageError("missing_field", "a batch message needs a type (track, page, screen, identify, alias or group)", "type");
            return false;
        }

        if (_row[EventField.Timestamp] is not { } tsText || tsText.Trim().Length == 0)
        {
            _row[EventField.Timestamp] = Iso(_receivedAt);
        }
        else if (sentAt is { } sent)
        {
            if (!TimestampParser.TryParse(tsText, out var ts))
            {
                error = new MessageError("invalid_timestamp", $"timestamp '{RowError.Shorten(tsText)}' is not an ISO-8601 date-time", "timestamp");
                return false;
            }

            var corrected = _receivedAt - (sent - ts);
            if (corrected.Ticks is < 0 or > 3155378975999999999)
            {
                error = new MessageError("invalid_timestamp", "timestamp and sentAt are too far apart", "sentAt");
                return false;
            }

            _row[EventField.Timestamp] = Iso(corrected);
        }

        if (_builder.TryBuild(_row, out accepted, out var rowError))
        {
            error = null;
            return true;
        }

        error = ToMessageError(rowError!);
        return false;
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static MessageError ToMessageError(RowError e)
    {
        var field = e.Column is null ? null : SegmentNames.GetValueOrDefault(e.Column, e.Column);
        var code = field switch
        {
            "timestamp" or "sentAt" => "invalid_timestamp",
            _ when e.Value is null && field is not null => "missing_field",
            _ => "invalid_value",
        };
        return new MessageError(code, field is null ? e.Reason : $"{field}: {e.Reason}", field);
    }
}
