using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Pretzel.Core.Events;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Validates one <see cref="RawRow"/> and turns it into an <see cref="Event"/>, or says precisely why
/// not. Rules: a known <c>type</c> (default <c>track</c>); a parseable <c>timestamp</c> within
/// [<see cref="ImportLimits.EarliestTimestamp"/>, now + <see cref="ImportLimits.FutureTolerance"/>];
/// an <c>anonymous_id</c> or <c>user_id</c>; <c>event</c> for track, <c>previous_id</c> and <c>user_id</c>
/// for alias, <c>group_id</c> for group; a finite number as <c>revenue</c>; a 3-letter <c>currency</c>; a
/// JSON object as <c>properties</c>; every value at most <see cref="ImportLimits.MaxFieldLength"/> characters
/// and valid text. Rows without a <c>message_id</c> get one derived from their content (and how often
/// that content occurred before in this input), so importing the same file twice stores nothing new.
/// </summary>
internal sealed class EventRowBuilder
{
    private const string AnonymousPrefix = "anon:";
    private readonly string?[] _columnNames;
    private readonly ImportLimits _limits;
    private readonly DateTime _receivedAt;
    private readonly DateTime _latest;
    private readonly DerivedMessageIds _derivedIds = new();
    private readonly ArrayBufferWriter<byte> _json = new(256);

    /// <param name="columnNames">What the input calls each field (for error messages); null when the input has no such column.</param>
    /// <param name="limits">Row bounds.</param>
    /// <param name="receivedAt">The import time, stored as <c>received_at</c> when the input has none; also "now" for the time range.</param>
    internal EventRowBuilder(string?[] columnNames, ImportLimits limits, DateTime receivedAt)
    {
        _columnNames = columnNames;
        _limits = limits;
        _receivedAt = receivedAt;
        _latest = receivedAt + limits.FutureTolerance;
    }

    internal bool TryBuild(RawRow row, out Event? result, out RowError? error)
    {
        result = null;
        for (var f = 0; f < EventFields.Count; f++)
        {
            var v = row.Values[f];
            if (v is null)
            {
                continue;
            }

            if (v.Length > _limits.MaxFieldLength)
            {
                error = Fail(row, (EventField)f, v, $"value is {v.Length:N0} characters long, more than the {_limits.MaxFieldLength:N0} allowed");
                return false;
            }

            if (v.Contains('\uFFFD', StringComparison.Ordinal))
            {
                error = Fail(row, (EventField)f, v, "not valid UTF-8 text (is the file in another encoding? try --encoding latin1)");
                return false;
            }

            if (v.Contains('\0', StringComparison.Ordinal))
            {
                error = Fail(row, (EventField)f, v.Replace("\0", "\\0", StringComparison.Ordinal), "contains a NUL character");
                return false;
            }

            var trimmed = v.Trim();
            if (trimmed.Length == 0)
            {
                // An empty value (e.g. "" in JSON) is a missing value, and must be checked as one.
                row.Values[f] = null;
            }
            else if (!ReferenceEquals(trimmed, v))
            {
                row.Values[f] = trimmed;
            }
        }

        if (row[EventField.UserId] is { } uid && uid.StartsWith(AnonymousPrefix, StringComparison.Ordinal))
        {
            // Person ids of people known only by an anonymous id are "anon:" + that id; a user id that
            // looked the same would merge unrelated people.
            error = Fail(row, EventField.UserId, uid, $"a user_id may not start with '{AnonymousPrefix}' (reserved for people known only by an anonymous id)");
            return false;
        }

        foreach (var (extraName, value) in row.Extras)
        {
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                error = new RowError(row.Line, extraName, RowError.Shorten(value.Replace("\0", "\\0", StringComparison.Ordinal)), "contains a NUL character");
                return false;
            }

            if (value.Length > _limits.MaxFieldLength || value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                error = new RowError(row.Line, extraName, RowError.Shorten(value), value.Length > _limits.MaxFieldLength
                    ? $"value is {value.Length:N0} characters long, more than the {_limits.MaxFieldLength:N0} allowed"
                    : "not valid UTF-8 text (is the file in another encoding? try --encoding latin1)");
                return false;
            }
        }

        var type = EventType.Track;
        if (row[EventField.Type] is { } typeText)
        {
            if (!EventTypes.TryParse(typeText, out var parsed))
            {
                error = Fail(row, EventField.Type, typeText, $"unknown type; expected one of {string.Join(", ", EventTypes.Names)}");
                return false;
            }

            type = parsed.Value;
        }

        if (row[EventField.Timestamp] is not { } tsText)
        {
            error = Fail(row, EventField.Timestamp, null, "timestamp is missing");
            return false;
        }

        if (!TimestampParser.TryParse(tsText, out var timestamp))
        {
            error = Fail(row, EventField.Timestamp, tsText, "not a date-time (expected ISO-8601 such as 2025-03-01T12:30:00Z, or Unix epoch seconds)");
            return false;
        }

        if (timestamp < _limits.EarliestTimestamp || timestamp > _latest)
        {
            error = Fail(row, EventField.Timestamp, tsText,
                $"{timestamp:yyyy-MM-ddTHH:mm:ssZ} is outside the accepted range {_limits.EarliestTimestamp:yyyy-MM-dd} .. {_latest:yyyy-MM-ddTHH:mm:ssZ}");
            return false;
        }

        var receivedAt = _receivedAt;
        if (row[EventField.ReceivedAt] is { } raText && !TimestampParser.TryParse(raText, out receivedAt))
        {
            error = Fail(row, EventField.ReceivedAt, raText, "not a date-time");
            return false;
        }

        var anonymousId = row[EventField.AnonymousId];
        var userId = row[EventField.UserId];
        var previousId = row[EventField.PreviousId];
        if (anonymousId is null && userId is null)
        {
            error = Fail(row, _columnNames[(int)EventField.UserId] is null ? EventField.AnonymousId : EventField.UserId, null,
                "needs an anonymous_id or a user_id: an event must belong to someone");
            return false;
        }

        var name = row[EventField.Event];
        if (type == EventType.Track && name is null)
        {
            error = Fail(row, EventField.Event, null, "a track event needs an event name");
            return false;
        }

        if (type == EventType.Alias && (previousId is null || userId is null))
        {
            error = Fail(row, EventField.PreviousId, previousId, "an alias needs both previous_id and user_id");
            return false;
        }

        if (type == EventType.Group && row[EventField.GroupId] is null)
        {
            error = Fail(row, EventField.GroupId, null, "a group event needs a group_id");
            return false;
        }

        double? revenue = null;
        if (row[EventField.Revenue] is { } revText)
        {
            if (!double.TryParse(revText, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || !double.IsFinite(r))
            {
                error = Fail(row, EventField.Revenue, revText, "not a number (use a dot for decimals, e.g. 19.90)");
                return false;
            }

            revenue = r;
        }

        var currency = row[EventField.Currency];
        if (currency is not null)
        {
            if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
            {
                error = Fail(row, EventField.Currency, currency, "not a 3-letter ISO-4217 currency code such as EUR");
                return false;
            }

            if (currency.Any(char.IsAsciiLetterLower))
            {
                currency = currency.ToUpperInvariant();
            }
        }

        string? properties;
        try
        {
            properties = BuildProperties(row[EventField.Properties], row.PropertiesElement, row.Extras);
        }
        catch (JsonException ex)
        {
            error = Fail(row, EventField.Properties, row[EventField.Properties], "not a JSON object: " + ex.Message.Split('.')[0]);
            return false;
        }

        if (properties is not null && properties.Length > _limits.MaxFieldLength)
        {
            error = new RowError(row.Line, null, null, $"properties take {properties.Length:N0} characters, more than the {_limits.MaxFieldLength:N0} allowed");
            return false;
        }

        result = new Event
        {
            MessageId = row[EventField.MessageId] ?? DeriveMessageId(row),
            Type = type,
            Name = name,
            Timestamp = timestamp,
            ReceivedAt = receivedAt,
            AnonymousId = anonymousId,
            UserId = userId,
            PreviousId = previousId,
            GroupId = row[EventField.GroupId],
            Properties = properties,
            Channel = row[EventField.Channel],
            Source = row[EventField.Source],
            Medium = row[EventField.Medium],
            Campaign = row[EventField.Campaign],
            Content = row[EventField.Content],
            Term = row[EventField.Term],
            Referrer = row[EventField.Referrer],
            Revenue = revenue,
            Currency = currency,
        };
        error = null;
        return true;
    }

    private RowError Fail(RawRow row, EventField field, string? value, string reason) =>
        new(row.Line, _columnNames[(int)field] ?? EventFields.Name(field), RowError.Shorten(value), reason);

    private string? BuildProperties(string? json, JsonElement? parsed, List<KeyValuePair<string, string>> extras)
    {
        if (json is null && extras.Count == 0)
        {
            return null;
        }

        _json.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_json))
        {
            writer.WriteStartObject();
            if (json is not null)
            {
                using var doc = parsed is null ? JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 }) : null;
                var root = parsed ?? doc!.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException($"expected an object, found {root.ValueKind.ToString().ToLowerInvariant()}.");
                }

                if (json.Contains("\\u", StringComparison.Ordinal) || json.Contains('\0', StringComparison.Ordinal))
                {
                    // JSON readers differ on escapes of lone surrogates and on NULs: refuse them here, per row,
                    // rather than have the store refuse the whole chunk.
                    CheckText(root);
                }

                if (extras.Count == 0)
                {
                    return json;
                }

                foreach (var p in root.EnumerateObject())
                {
                    if (!extras.Exists(e => e.Key == p.Name))
                    {
                        p.WriteTo(writer);
                    }
                }
            }

            foreach (var (key, value) in extras)
            {
                if (value.Length > 0)
                {
                    writer.WriteString(key, value);
                }
            }

            writer.WriteEndObject();
        }

        return _json.WrittenCount <= 2 ? null : Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    private static void CheckText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in element.EnumerateObject())
                    {
                        Check(p.Name);
                        CheckText(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckText(item);
                    }

                    break;
                case JsonValueKind.String:
                    Check(element.GetString()!);
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            throw new JsonException("it holds an escape of a lone UTF-16 surrogate (not valid Unicode).");
        }

        static void Check(string s)
        {
            if (s.Contains('\0', StringComparison.Ordinal))
            {
                throw new JsonException("it holds a NUL character.");
            }

            for (var i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(s[i]))
                {
                    throw new JsonException("it holds a lone UTF-16 surrogate (not valid Unicode).");
                }
            }
        }
    }

    private string DeriveMessageId(RawRow row)
    {
        var hash = new XxHash128();
        Span<char> sep = ['\u001f'];
        foreach (var v in row.Values)
        {
            hash.Append(MemoryMarshal.AsBytes((v ?? "\0").AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(sep));
        }

        foreach (var (k, v) in row.Extras)
        {
            hash.Append(MemoryMarshal.AsBytes(k.AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(sep));
            hash.Append(MemoryMarshal.AsBytes(v.AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(sep));
        }

        return _derivedIds.Next(hash.GetCurrentHashAsUInt128());
    }
}
