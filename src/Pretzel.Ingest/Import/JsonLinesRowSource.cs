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
    private readonly SegmentMessageMapper _mapper;
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
        _mapper = new SegmentMessageMapper(_map, envelope: false);
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

                error = _mapper.Fill(row, doc.RootElement);
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
