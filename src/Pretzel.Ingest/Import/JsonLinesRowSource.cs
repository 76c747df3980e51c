using System.Text;
using System.Text.Json;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Reads one JSON object per line, in Pretzel's snake_case shape or as Segment messages
/// (<c>messageId</c>, <c>anonymousId</c>, <c>context.campaign</c>, <c>context.page.referrer</c>,
/// <c>traits</c>…). A line longer than <see cref="ImportLimits.MaxRecordBytes"/> is reported and skipped
/// without being held in memory. Keys that are not event fields become properties.
/// </summary>
internal sealed class JsonLinesRowSource : IRowSource
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };
    private readonly FileStream _stream;
    private readonly Stream _input;
    private readonly Dictionary<string, ColumnTarget> _map;
    private readonly StringPool _pool = new();
    private readonly int _maxLine;
    private readonly Encoding _encoding;
    private readonly bool _utf8;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;

    internal JsonLinesRowSource(string path, ImportOptions options)
    {
        _stream = InputText.OpenFile(path);
        _map = ColumnBinding.ParseMap(options.ColumnMap);
        _maxLine = options.Limits.MaxRecordBytes;
        _encoding = InputText.Resolve(options.Encoding);
        _input = _stream;
        if (Utf16(_stream, _encoding) is { } utf16)
        {
            // Lines are split on the byte '\n', which UTF-16 does not allow: read it as UTF-8 instead.
            _input = Encoding.CreateTranscodingStream(_stream, utf16, Encoding.UTF8, leaveOpen: true);
            _encoding = Encoding.UTF8;
        }

        _utf8 = _encoding is UTF8Encoding;
        FieldColumns = new string?[EventFields.Count];
        for (var f = 0; f < EventFields.Count; f++)
        {
            FieldColumns[f] = EventFields.Name((EventField)f);
        }

        foreach (var (key, target) in _map)
        {
            if (target.Field is { } field)
            {
                FieldColumns[(int)field] = key;
            }
        }
    }

    public string?[] FieldColumns { get; }

    // UTF-16 when the file starts with its byte-order mark (honoured whatever the option says, as for CSV)
    // or when asked for.
    private static Encoding? Utf16(FileStream stream, Encoding requested)
    {
        if (stream.CanSeek)
        {
            Span<byte> bom = stackalloc byte[2];
            var n = stream.ReadAtLeast(bom, 2, throwOnEndOfStream: false);
            stream.Position = 0;
            if (n == 2 && bom[0] == 0xFF && bom[1] == 0xFE)
            {
                return Encoding.Unicode;
            }

            if (n == 2 && bom[0] == 0xFE && bom[1] == 0xFF)
            {
                return Encoding.BigEndianUnicode;
            }
        }

        return requested is UnicodeEncoding ? requested : null;
    }

    public long BytesRead => _stream.Position - (_end - _start);

    public string? Stopped => null;

    public bool Read(RawRow row, out RowError? error)
    {
        while (true)
        {
            error = null;
            var status = NextLine(out var line, out var tooLong);
            if (status == LineStatus.End)
            {
                return false;
            }

            row.Clear();
            row.Line = _line;
            if (tooLong)
            {
                error = new RowError(_line, null, null, $"the line is longer than {_maxLine / (1024 * 1024)} MB and was skipped");
                return true;
            }

            if (line.Length == 0 || line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            if (_line == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            if (_utf8 && !System.Text.Unicode.Utf8.IsValid(line))
            {
                // JsonDocument checks UTF-8 only when a string is read, and then throws InvalidOperationException.
                error = new RowError(_line, null, RowError.Shorten(Encoding.UTF8.GetString(line)),
                    "not valid UTF-8 text (is the file in another encoding? try --encoding latin1)");
                return true;
            }

            try
            {
                using var doc = _utf8
                    ? JsonDocument.Parse(line.ToArray(), DocumentOptions)
                    : JsonDocument.Parse(_encoding.GetString(line), DocumentOptions);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = new RowError(_line, null, RowError.Shorten(Encoding.UTF8.GetString(line)), "expected a JSON object on the line");
                    return true;
                }

                error = Fill(row, doc.RootElement);
                return true;
            }
            catch (InvalidOperationException)
            {
                // A string escape of a lone UTF-16 surrogate: valid JSON syntax, not valid text.
                error = new RowError(_line, null, RowError.Shorten(Encoding.UTF8.GetString(line)), "holds an escape of a lone UTF-16 surrogate (not valid Unicode)");
                return true;
            }
            catch (JsonException ex)
            {
                error = new RowError(_line, null, RowError.Shorten(Encoding.UTF8.GetString(line)),
                    "not valid JSON" + (ex.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase)
                        ? " UTF-8 text (is the file in another encoding? try --encoding latin1)"
                        : ": " + ex.Message.Split(" LineNumber")[0]));
                return true;
            }
        }
    }

    private RowError? Fill(RawRow row, JsonElement root)
    {
        JsonElement? traits = null;
        foreach (var p in root.EnumerateObject())
        {
            var key = p.Name;
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
    }

    private void ReadContext(RawRow row, JsonElement context)
    {
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

    private void Take(RawRow row, EventField field, JsonElement obj, string key)
    {
        if (row[field] is null && obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString()!;
            row[field] = StringPool.IsLowCardinality(field) ? _pool.Get(text) : text;
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private enum LineStatus
    {
        Line,
        End,
    }

    private LineStatus NextLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        var skipping = false;
        while (true)
        {
            var nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                var lineEnd = _start + nl;
                line = skipping ? default : _buffer.AsSpan(_start, lineEnd - _start);
                if (!line.IsEmpty && line[^1] == '\r')
                {
                    line = line[..^1];
                }

                _start = lineEnd + 1;
                _line++;
                tooLong = skipping;
                return LineStatus.Line;
            }

            if (_eof)
            {
                if (_end > _start || skipping)
                {
                    line = skipping ? default : _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    _line++;
                    tooLong = skipping;
                    return LineStatus.Line;
                }

                line = default;
                return LineStatus.End;
            }

            if (_end - _start >= _maxLine)
            {
                // Too long to hold: drop what is buffered and skip to the next newline.
                skipping = true;
                _start = _end = 0;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxLine + (1 << 16)));
            }

            var n = _input.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _eof = true;
            }

            _end += n;
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        _stream.Dispose();
    }
}
