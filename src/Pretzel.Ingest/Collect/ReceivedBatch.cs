using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
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
    private readonly DerivedMessageIds _derivedIds = new();

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
        return value.ValueKind == JsonValueKind.String && TryGetString(value, out var text) && TimestampParser.TryParse(text, out utc);
    }

    /// <summary>A JSON string's value; false for one holding an escaped lone UTF-16 surrogate (not valid Unicode).</summary>
    public static bool TryGetString(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>
    /// Validates one message. <paramref name="impliedType"/> is the endpoint's type (<c>/v1/track</c> …);
    /// null for a batch, where each message names its own <c>type</c>.
    /// </summary>
    public bool TryAccept(JsonElement message, EventType? impliedType, out Event? accepted, out MessageError? error)
    {
        try
        {
            return TryAcceptMessage(message, impliedType, out accepted, out error);
        }
        catch (InvalidOperationException)
        {
            // JsonElement refuses to unescape a lone UTF-16 surrogate ("\ud800") in a key or a string value,
            // including the keys it compares while looking one up.
            accepted = null;
            error = new MessageError("invalid_value", "the message holds an escape of a lone UTF-16 surrogate (not valid Unicode)", null);
            return false;
        }
    }

    private bool TryAcceptMessage(JsonElement message, EventType? impliedType, out Event? accepted, out MessageError? error)
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

            // In ticks: DateTime arithmetic throws when the result leaves its range (sentAt 0001, timestamp 9999).
            var corrected = _receivedAt.Ticks - (sent.Ticks - ts.Ticks);
            if (corrected < DateTime.MinValue.Ticks || corrected > DateTime.MaxValue.Ticks)
            {
                error = new MessageError("invalid_timestamp", "timestamp and sentAt are too far apart", "sentAt");
                return false;
            }

            _row[EventField.Timestamp] = Iso(new DateTime(corrected, DateTimeKind.Utc));
        }

        if (EventTypes.TryParse(_row[EventField.Type], out var type) && type == EventType.Alias)
        {
            // Name the field that is missing (the row builder reports both as previous_id).
            if (IsBlank(_row[EventField.PreviousId]))
            {
                error = new MessageError("missing_field", "previousId: an alias needs previousId (the old id) and userId (the new one)", "previousId");
                return false;
            }

            if (IsBlank(_row[EventField.UserId]))
            {
                error = new MessageError("missing_field", "userId: an alias needs previousId (the old id) and userId (the new one)", "userId");
                return false;
            }
        }

        if (IsBlank(_row[EventField.MessageId]))
        {
            _row[EventField.MessageId] = DeriveMessageId(message, _row[EventField.Type]);
        }

        if (_builder.TryBuild(_row, out accepted, out var rowError))
        {
            error = null;
            return true;
        }

        error = ToMessageError(rowError!);
        return false;
    }

    private static bool IsBlank(string? value) => value is null || value.Trim().Length == 0;

    /// <summary>
    /// The id of a message that has none: a hash of the message as sent (before times are corrected or
    /// filled in), its type and the request's <c>sentAt</c>, plus how often that content occurred before in
    /// this request. A client that sends the very same request again gets the same ids, so it is stored once.
    /// </summary>
    private string DeriveMessageId(JsonElement message, string? type)
    {
        var hash = new XxHash128();
        hash.Append(Encoding.UTF8.GetBytes(type ?? ""));
        hash.Append([0x1F]);
        Span<byte> ticks = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(ticks, _sentAt?.Ticks ?? -1);
        hash.Append(ticks);
        hash.Append(JsonMarshal.GetRawUtf8Value(message));
        return _derivedIds.Next(hash.GetCurrentHashAsUInt128());
    }

    private static string Iso(DateTime utc) => EventJsonLine.Iso(utc);

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
