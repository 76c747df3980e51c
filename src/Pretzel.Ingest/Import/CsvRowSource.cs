using System.Globalization;
using Sylvan.Data.Csv;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Reads delimited text with Sylvan's CSV reader (RFC 4180 quoting; delimiter detected from the header
/// unless given). Line numbers are physical lines, counted from each record's raw text, so a quoted
/// field spanning lines does not shift the numbers reported for later rows.
/// </summary>
internal sealed class CsvRowSource : IRowSource
{
    private readonly FileStream _stream;
    private readonly CsvDataReader _reader;
    private readonly ColumnTarget[] _targets;
    private readonly int _origin;
    private readonly string _input;
    private readonly int _maxRecordMegabytes;
    private readonly bool[] _lowCardinality;
    private readonly StringPool _pool = new();
    private long _nextLine = 2;

    internal CsvRowSource(string path, ImportOptions options)
    {
        _input = path;
        _maxRecordMegabytes = Math.Max(1, options.Limits.MaxRecordBytes / (1024 * 1024));
        _stream = InputText.OpenFile(path);
        try
        {
            var text = new StreamReader(_stream, InputText.Resolve(options.Encoding), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            var csvOptions = new CsvDataReaderOptions
            {
                HasHeaders = true,
                BufferSize = 1 << 16,
                MaxBufferSize = Math.Max(1 << 16, options.Limits.MaxRecordBytes / 2),
                OwnsReader = true,
                ResultSetMode = ResultSetMode.SingleResult,
            };
            if (options.Delimiter is { } d)
            {
                csvOptions.Delimiter = d;
            }

            try
            {
                _reader = CsvDataReader.Create(text, csvOptions);
            }
            catch (CsvMissingHeadersException)
            {
                throw new ImportException($"{path} is empty: expected a header row naming the columns");
            }
            catch (CsvRecordTooLargeException)
            {
                throw new ImportException($"{path}: the header row is longer than {options.Limits.MaxRecordBytes / (1024 * 1024)} MB; is this a CSV file?");
            }

            var header = Enumerable.Range(0, _reader.FieldCount).Select(_reader.GetName).ToArray();
            _origin = options.OriginColumn is null ? -1 : Array.IndexOf(header, options.OriginColumn);
            var map = options.ColumnMap;
            if (_origin >= 0)
            {
                map = new Dictionary<string, string>(map, StringComparer.Ordinal) { [options.OriginColumn!] = "-" };
            }

            _targets = ColumnBinding.Bind(header, map, path, out var fieldColumns);
            FieldColumns = fieldColumns;
            _lowCardinality = _targets.Select(t => t.Field is { } f && StringPool.IsLowCardinality(f)).ToArray();
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    public string?[] FieldColumns { get; }

    public long BytesRead => _stream.CanSeek ? _stream.Position : 0;

    public string? Stopped { get; private set; }

    public bool Read(RawRow row, out RowError? error)
    {
        error = null;
        if (Stopped is not null)
        {
            return false;
        }

        try
        {
            if (!_reader.Read())
            {
                return false;
            }
        }
        catch (CsvRecordTooLargeException)
        {
            Stopped = $"line {_nextLine.ToString(CultureInfo.InvariantCulture)}: a record longer than {_maxRecordMegabytes} MB; reading of {_input} stopped there (is a quote left open?)";
            return false;
        }
        catch (CsvFormatException ex)
        {
            Stopped = $"line {_nextLine.ToString(CultureInfo.InvariantCulture)}: {ex.Message} Reading stopped there.";
            return false;
        }

        row.Clear();
        row.Line = _nextLine;
        var raw = _reader.GetRawRecordSpan();
        var newlines = raw.Count('\n');
        if (newlines == 0 || raw[^1] != '\n')
        {
            // The last record of a file without a final newline still occupies one line.
            newlines++;
        }

        _nextLine += newlines;
        var count = _reader.RowFieldCount;
        if (count != _targets.Length)
        {
            if (count == 1 && raw.Trim().IsEmpty)
            {
                // A blank line: not a row, not an error.
                return Read(row, out error);
            }

            error = new RowError(row.Line, null, RowError.Shorten(raw.TrimEnd().ToString()),
                $"the row has {count} fields but the header has {_targets.Length}");
            return true;
        }

        if (_origin >= 0)
        {
            row.Origin = _reader.GetString(_origin);
        }

        for (var i = 0; i < count; i++)
        {
            var target = _targets[i];
            if (target.IsDropped)
            {
                continue;
            }

            var span = _reader.GetFieldSpan(i);
            if (span.IsEmpty)
            {
                continue;
            }

            var value = _lowCardinality[i] ? _pool.Get(span) : span.ToString();
            if (target.Field is { } f)
            {
                row.Values[(int)f] = value;
            }
            else
            {
                row.Extras.Add(new(target.Property!, value));
            }
        }

        return true;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}
