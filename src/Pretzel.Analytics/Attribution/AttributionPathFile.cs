using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

/// <summary>A row of a path table file that was not used, with its line (1 is the header) and why.</summary>
public sealed record PathFileError(long Line, string Message)
{
    public override string ToString() => $"line {Line.ToString(CultureInfo.InvariantCulture)}: {Message}";
}

/// <summary>
/// What a path table file held: the good rows as a table, the bad ones as errors (the first
/// <see cref="AttributionPathFile.ErrorsKept"/>; <see cref="Rejected"/> counts them all), the detected field separator and
/// which optional columns were there.
/// </summary>
public sealed record PathFileResult(AttributionTable Table, IReadOnlyList<PathFileError> Errors, long Rejected, char Separator, bool HasValue, bool HasNulls)
{
    /// <summary>Rows used.</summary>
    public int Accepted => Table.Count;
}

/// <summary>
/// Reads a path table in ChannelAttribution's format: a header naming <c>path</c> and <c>total_conversions</c>, and
/// optionally <c>total_conversion_value</c> and <c>total_null</c> (other columns are ignored), with the field separator
/// (<c>;</c>, <c>,</c> or tab) detected from the header line. Touches are separated by <c>&gt;</c> (or the separator
/// given) with surrounding spaces trimmed; a path <c>(no touch)</c> has no touches. Fields may be quoted (RFC 4180).
/// A row that cannot be used (a missing field, an empty path or touch, a count that is not a whole non-negative number, a
/// value that is not a non-negative number) is reported with its line and left out; the good rows are all kept. Blank
/// lines are skipped. A file without a usable header is an error (<see cref="PathException"/>).
/// <para>
/// The reader works on UTF-8 bytes: records are found with vectorised searches, touch names are interned once per
/// distinct name (a small open-addressing table over the bytes), so a million-row file becomes the table's flat arrays
/// without a string per touch.
/// </para>
/// </summary>
public static class AttributionPathFile
{
    /// <summary>At most this many errors are kept with their messages; all are counted.</summary>
    public const int ErrorsKept = 1000;

    /// <summary>The header's required columns.</summary>
    public static IReadOnlyList<string> Required { get; } = ["path", "total_conversions"];

    /// <summary>The header's optional columns.</summary>
    public static IReadOnlyList<string> Optional { get; } = ["total_conversion_value", "total_null"];

    /// <summary>Reads the file at <paramref name="path"/>; see <see cref="Read(Stream, string, string)"/>.</summary>
    public static PathFileResult Read(string path, string pathSeparator = ">")
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path, pathSeparator);
    }

    /// <summary>
    /// Reads a path table from <paramref name="stream"/> (UTF-8); <paramref name="source"/> names it in errors.
    /// Throws <see cref="PathException"/> when there is no header naming the required columns.
    /// </summary>
    public static PathFileResult Read(Stream stream, string source, string pathSeparator = ">") => Read(stream, source, pathSeparator, 4 << 20);

    /// <summary>As <see cref="Read(Stream, string, string)"/>, parsing blocks of about <paramref name="blockSize"/> bytes in parallel.</summary>
    internal static PathFileResult Read(Stream stream, string source, string pathSeparator, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentNullException.ThrowIfNull(pathSeparator);
        if (pathSeparator.Trim().Length == 0)
        {
            throw new PathException($"--path-sep '{pathSeparator}': the touch separator cannot be empty or blank");
        }

        var reader = new RecordReader(stream);
        if (!reader.Next(out var headerStart, out var headerLength, out _))
        {
            throw new PathException($"{source}: the file is empty; expected a header with {string.Join(", ", Required)}");
        }

        var header = Encoding.UTF8.GetString(reader.Bytes(headerStart, headerLength)).TrimStart('\uFEFF');
        var (separator, names) = DetectSeparator(header)
            ?? throw new PathException(
                $"{source}, line 1: expected a header naming {string.Join(" and ", Required)} (optionally {string.Join(" and ", Optional)}), separated by ';', ',' or tab; got '{Shorten(header)}'");
        var columns = new[] { "path", "total_conversions", "total_conversion_value", "total_null" }.Select(c => names.IndexOf(c)).ToArray();
        var touchSeparator = Encoding.UTF8.GetBytes(pathSeparator.Trim());

        // The rows after the header go in blocks of whole records to parsers on the thread pool, at most a few blocks
        // ahead of them. Each block writes straight into its own stretch of the table's arrays, sized from the block's
        // line breaks and touch separators (bounds that are exact for a clean file); stretches left partly empty by bad
        // rows or blank lines are closed up at the end.
        var splitter = new BlockSplitter(stream, reader.Pending, reader.Line, blockSize);
        var output = new TableWriter(EstimateRows(stream, reader.Pending, touchSeparator));
        var parts = new List<RowParser>();
        var running = new List<Task>();
        using (var gate = new SemaphoreSlim(2 * Math.Max(1, Environment.ProcessorCount)))
        {
            try
            {
                while (splitter.Next(out var block, out var length, out var line))
                {
                    var rows = block.AsSpan(0, length).Count((byte)'\n') + (length > 0 && block[length - 1] != (byte)'\n' ? 1 : 0);
                    var touches = (long)block.AsSpan(0, length).Count(touchSeparator) + rows;
                    if (!output.Fits(rows, touches))
                    {
                        // Rarely (a poor estimate): wait for the running blocks, then make the arrays larger.
                        Task.WaitAll([.. running]);
                        running.Clear();
                        output.Grow(rows, touches);
                    }

                    var parser = new RowParser(source, (byte)separator, touchSeparator, columns, output, rows, (int)touches);
                    parts.Add(parser);
                    gate.Wait();
                    var (data, size, first) = (block, length, line);
                    running.Add(Task.Run(() =>
                    {
                        try
                        {
                            var records = new RecordReader(data, size, first);
                            while (records.Next(out var start, out var count, out var at))
                            {
                                parser.Row(data, start, count, at);
                            }
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(data);
                            gate.Release();
                        }
                    }));
                    running.RemoveAll(t => t.IsCompletedSuccessfully);
                }
            }
            finally
            {
                // Never leave a parser running (and releasing the gate) after this returns or throws.
                try
                {
                    Task.WaitAll([.. running]);
                }
                catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
                {
                    ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
                }
            }
        }

        var table = output.Table(parts, columns[2] >= 0);
        var errors = parts.SelectMany(p => p.Errors).Take(ErrorsKept).ToList();
        return new PathFileResult(table, errors, parts.Sum(p => p.Rejected), separator, columns[2] >= 0, columns[3] >= 0);
    }

    /// <summary>Rows and touches to make room for at first: the first block's line breaks and separators per byte, times the rest of the file.</summary>
    private static (long Rows, long Touches) EstimateRows(Stream stream, ReadOnlySpan<byte> sample, byte[] touchSeparator)
    {
        var rows = sample.Count((byte)'\n') + 1L;
        var touches = sample.Count(touchSeparator) + rows;
        var scale = stream.CanSeek && sample.Length > 0 ? 1.02 * (stream.Length - stream.Position + sample.Length) / sample.Length : 1;
        return ((long)(rows * scale) + 64, (long)(touches * scale) + 256);
    }

    private static (char Separator, List<string> Names)? DetectSeparator(string header)
    {
        foreach (var separator in (char[])[';', ',', '\t'])
        {
            var names = header.Split(separator).Select(n => n.Trim().Trim('"').Trim().ToLowerInvariant()).ToList();
            if (Required.All(names.Contains))
            {
                return (separator, names);
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>Finds records (lines, or several lines inside quotes) in a stream read in large blocks, or in one block in memory.</summary>
    private sealed class RecordReader
    {
        private readonly Stream? _stream;
        private byte[] _buffer;
        private int _position;
        private int _end;
        private bool _eof;
        private long _line = 1;

        internal RecordReader(Stream stream)
        {
            _stream = stream;
            _buffer = new byte[1 << 20];
        }

        /// <summary>The records of <paramref name="length"/> bytes of <paramref name="buffer"/>, the first on line <paramref name="line"/>.</summary>
        internal RecordReader(byte[] buffer, int length, long line)
        {
            _buffer = buffer;
            _end = length;
            _eof = true;
            _line = line;
        }

        /// <summary>The line the next record starts on.</summary>
        internal long Line => _line;

        internal byte[] Buffer => _buffer;

        internal ReadOnlySpan<byte> Bytes(int start, int length) => _buffer.AsSpan(start, length);

        /// <summary>What has been read and not yet taken as records.</summary>
        internal ReadOnlySpan<byte> Pending => _buffer.AsSpan(_position, _end - _position);

        /// <summary>The next non-blank record without its line break, and the line it starts on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal bool Next(out int start, out int length, out long line)
        {
            while (true)
            {
                if (!Record(out start, out length, out line))
                {
                    return false;
                }

                if (_buffer.AsSpan(start, length).Trim((byte)' ').Length > 0)
                {
                    return true;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Record(out int start, out int length, out long line)
        {
            while (true)
            {
                var span = _buffer.AsSpan(_position, _end - _position);
                var i = span.IndexOfAny((byte)'\n', (byte)'"');
                var breaks = 0;
                if (i >= 0 && span[i] == (byte)'"')
                {
                    // Inside quotes a line break belongs to the field: scan quote by quote.
                    var inQuotes = false;
                    for (i = 0; i < span.Length; i++)
                    {
                        var b = span[i];
                        if (b == (byte)'"')
                        {
                            inQuotes = !inQuotes;
                        }
                        else if (b == (byte)'\n')
                        {
                            if (!inQuotes)
                            {
                                break;
                            }

                            breaks++;
                        }
                    }

                    if (i == span.Length)
                    {
                        i = -1;
                    }
                }

                if (i >= 0 || (_eof && span.Length > 0))
                {
                    start = _position;
                    length = i >= 0 ? i : span.Length;
                    _position += i >= 0 ? i + 1 : span.Length;
                    if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
                    {
                        length--;
                    }

                    line = _line;
                    _line += 1 + breaks;
                    return true;
                }

                if (_eof)
                {
                    start = length = 0;
                    line = _line;
                    return false;
                }

                Fill();
            }
        }

        private void Fill()
        {
            var pending = _end - _position;
            if (_position > 0)
            {
                _buffer.AsSpan(_position, pending).CopyTo(_buffer);
                _position = 0;
                _end = pending;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            while (_end < _buffer.Length)
            {
                var read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _eof = true;
                    break;
                }

                _end += read;
            }
        }
    }

    /// <summary>Turns records into table rows, or into errors.</summary>
    private sealed class RowParser
    {
        private static readonly byte[] NoTouch = Encoding.UTF8.GetBytes(AttributionModels.NoTouch);
        private static readonly double[] Powers = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
        private readonly string _source;
        private readonly byte _separator;
        private readonly byte[] _touchSeparator;
        private readonly int _path;
        private readonly int _conversions;
        private readonly int _value;
        private readonly int _nulls;
        private readonly int _needed;
        private readonly TouchInterner _interner;
        private readonly int[] _lengths;
        private readonly int[] _touches;
        private readonly long[] _conversionCounts;
        private readonly double[] _values;
        private readonly long[] _nullCounts;
        private readonly int _rowEnd;
        private readonly int _touchEnd;
        private int _row;
        private int _touch;
        private int _rowTouchStart;
        private (int Start, int Length)[] _fields = new (int, int)[8];

        /// <summary>A parser for one block, writing into the next stretch of <paramref name="rows"/> rows and <paramref name="touches"/> touches of <paramref name="output"/>.</summary>
        internal RowParser(string source, byte separator, byte[] touchSeparator, int[] columns, TableWriter output, int rows, int touches)
        {
            (_source, _separator, _touchSeparator) = (source, separator, touchSeparator);
            (_path, _conversions, _value, _nulls, _needed) = (columns[0], columns[1], columns[2], columns[3], columns.Max() + 1);
            _interner = output.Interner;
            (_lengths, _touches, _conversionCounts, _values, _nullCounts) = (output.Lengths, output.Touches, output.Conversions, output.Values, output.Nulls);
            (FirstRow, FirstTouch) = output.Reserve(rows, touches);
            (_row, _touch, _rowTouchStart) = (FirstRow, FirstTouch, FirstTouch);
            (_rowEnd, _touchEnd) = (FirstRow + rows, FirstTouch + touches);
        }

        /// <summary>Where this block's stretch of rows and touches begins.</summary>
        internal int FirstRow { get; }

        internal int FirstTouch { get; }

        /// <summary>Rows and touches written.</summary>
        internal int Rows => _row - FirstRow;

        internal int Touches => _touch - FirstTouch;

        internal List<PathFileError> Errors { get; } = [];

        internal long Rejected { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Row(byte[] buffer, int start, int length, long line)
        {
            var count = Split(buffer, start, length);
            if (count < _needed)
            {
                Reject(line, $"expected at least {_needed} fields separated by '{(_separator == '\t' ? "tab" : ((char)_separator).ToString())}', found {count}");
                return;
            }

            if (!Count(buffer, _conversions, out var conversions))
            {
                Reject(line, $"total_conversions '{Text(buffer, _conversions)}' is not a whole non-negative number");
                return;
            }

            var value = 0.0;
            if (_value >= 0 && !Value(buffer, _value, out value))
            {
                Reject(line, $"total_conversion_value '{Text(buffer, _value)}' is not a non-negative number");
                return;
            }

            long nulls = 0;
            if (_nulls >= 0 && !Count(buffer, _nulls, out nulls))
            {
                Reject(line, $"total_null '{Text(buffer, _nulls)}' is not a whole non-negative number");
                return;
            }

            var (pathStart, pathLength) = _fields[_path];
            var path = Trim(buffer.AsSpan(pathStart, pathLength));
            if (path.IsEmpty)
            {
                Reject(line, "the path is empty");
                return;
            }

            if (path.SequenceEqual(NoTouch))
            {
                Touch(_interner.Intern(path));
                EndRow(conversions, value, nulls);
                return;
            }

            if (!(_touchSeparator.Length == 1 ? SplitByByte(path, _touchSeparator[0]) : SplitBySequence(path)))
            {
                _touch = _rowTouchStart;
                Reject(line, $"the path '{Text(buffer, _path)}' has an empty touch");
                return;
            }

            EndRow(conversions, value, nulls);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Touch(int id)
        {
            if (_touch == _touchEnd)
            {
                throw new InvalidOperationException("More touches in a block than its separators allow.");
            }

            _touches[_touch++] = id;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void EndRow(long conversions, double value, long nulls)
        {
            if (_row == _rowEnd)
            {
                throw new InvalidOperationException("More rows in a block than its line breaks allow.");
            }

            _lengths[_row] = _touch - _rowTouchStart;
            _conversionCounts[_row] = conversions;
            _values[_row] = value;
            _nullCounts[_row] = nulls;
            _row++;
            _rowTouchStart = _touch;
        }

        /// <summary>
        /// Adds the touches of <paramref name="path"/> split at <paramref name="separator"/>, finding separators 32 bytes at
        /// a time; false (after adding some) when a touch is empty.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool SplitByByte(ReadOnlySpan<byte> path, byte separator)
        {
            var start = 0;
            var i = 0;
            if (Vector256.IsHardwareAccelerated && path.Length >= Vector256<byte>.Count)
            {
                var needle = Vector256.Create(separator);
                ref var origin = ref MemoryMarshal.GetReference(path);
                for (; i <= path.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
                {
                    var mask = Vector256.Equals(Vector256.LoadUnsafe(ref origin, (nuint)i), needle).ExtractMostSignificantBits();
                    while (mask != 0)
                    {
                        var at = i + BitOperations.TrailingZeroCount(mask);
                        if (!AddTouch(path[start..at]))
                        {
                            return false;
                        }

                        start = at + 1;
                        mask &= mask - 1;
                    }
                }
            }

            for (; i < path.Length; i++)
            {
                if (path[i] == separator)
                {
                    if (!AddTouch(path[start..i]))
                    {
                        return false;
                    }

                    start = i + 1;
                }
            }

            return AddTouch(path[start..]);
        }

        private bool SplitBySequence(ReadOnlySpan<byte> path)
        {
            while (true)
            {
                var cut = path.IndexOf(_touchSeparator);
                if (!AddTouch(cut < 0 ? path : path[..cut]))
                {
                    return false;
                }

                if (cut < 0)
                {
                    return true;
                }

                path = path[(cut + _touchSeparator.Length)..];
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool AddTouch(ReadOnlySpan<byte> touch)
        {
            touch = Trim(touch);
            if (touch.IsEmpty)
            {
                return false;
            }

            Touch(_interner.Intern(touch));
            return true;
        }

        private void Reject(long line, string message)
        {
            Rejected++;
            if (Errors.Count < ErrorsKept)
            {
                Errors.Add(new PathFileError(line, message));
            }
        }

        private string Text(byte[] buffer, int field)
        {
            var (start, length) = _fields[field];
            return Shorten(Encoding.UTF8.GetString(buffer, start, length));
        }

        private static ReadOnlySpan<byte> Field(byte[] buffer, (int Start, int Length) field) => Trim(buffer.AsSpan(field.Start, field.Length));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
        {
            var start = 0;
            var end = text.Length;
            while (start < end && text[start] is (byte)' ' or (byte)'\t')
            {
                start++;
            }

            while (end > start && text[end - 1] is (byte)' ' or (byte)'\t')
            {
                end--;
            }

            return text[start..end];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Count(byte[] buffer, int field, out long count)
        {
            var text = Field(buffer, _fields[field]);
            if (Utf8Parser.TryParse(text, out count, out var used) && used == text.Length && text.Length > 0)
            {
                return count >= 0;
            }

            // 3.0 or 1e3 are whole numbers too.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d <= (1L << 53) && d == Math.Floor(d))
            {
                count = (long)d;
                return true;
            }

            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Value(byte[] buffer, int field, out double value)
        {
            var text = Field(buffer, _fields[field]);
            return (TryPlainDecimal(text, out value) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) && double.IsFinite(value) && value >= 0;
        }

        /// <summary>
        /// digits[.digits] with at most 15 significant digits in all, the common case, parsed as m / 10^k: both are exact
        /// doubles (m &lt; 2^53, k ≤ 22), so the division is correctly rounded, the same double as <see cref="double.Parse(string)"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool TryPlainDecimal(ReadOnlySpan<byte> text, out double value)
        {
            value = 0;
            long mantissa = 0;
            int digits = 0, decimals = -1;
            foreach (var b in text)
            {
                if (b == (byte)'.' && decimals < 0)
                {
                    decimals = 0;
                    continue;
                }

                if (b < (byte)'0' || b > (byte)'9' || ++digits > 15)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + (b - '0');
                if (decimals >= 0)
                {
                    decimals++;
                }
            }

            if (digits == 0)
            {
                return false;
            }

            value = decimals > 0 ? mantissa / Powers[decimals] : mantissa;
            return true;
        }

        /// <summary>Splits a record into fields; quoted fields are unquoted in place. Returns the number of fields.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Split(byte[] buffer, int start, int length)
        {
            var count = 0;
            var record = buffer.AsSpan(start, length);
            if (record.IndexOf((byte)'"') < 0)
            {
                var offset = 0;
                while (true)
                {
                    var cut = record[offset..].IndexOf(_separator);
                    var fieldLength = cut < 0 ? record.Length - offset : cut;
                    Add(ref count, start + offset, fieldLength);
                    if (cut < 0)
                    {
                        return count;
                    }

                    offset += cut + 1;
                }
            }

            // RFC 4180: a field may be quoted, with "" for a quote inside; unquote it in place (it only gets shorter).
            var i = 0;
            while (true)
            {
                var fieldStart = start + i;
                var write = fieldStart;
                if (i < length && buffer[start + i] == (byte)'"')
                {
                    i++;
                    while (i < length)
                    {
                        var b = buffer[start + i];
                        if (b == (byte)'"')
                        {
                            if (i + 1 < length && buffer[start + i + 1] == (byte)'"')
                            {
                                buffer[write++] = (byte)'"';
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        buffer[write++] = b;
                        i++;
                    }

                    // Anything between the closing quote and the separator is kept as it stands.
                    while (i < length && buffer[start + i] != _separator)
                    {
                        buffer[write++] = buffer[start + i++];
                    }
                }
                else
                {
                    while (i < length && buffer[start + i] != _separator)
                    {
                        i++;
                    }

                    write = start + i;
                }

                Add(ref count, fieldStart, write - fieldStart);
                if (i >= length)
                {
                    return count;
                }

                i++;
            }
        }

        private void Add(ref int count, int start, int length)
        {
            if (count == _fields.Length)
            {
                Array.Resize(ref _fields, count * 2);
            }

            _fields[count++] = (start, length);
        }
    }

    /// <summary>
    /// Cuts a stream into blocks of whole records (about <paramref name="blockSize"/> bytes, more when one record is longer),
    /// in pooled arrays the caller returns. A block ends after the last line break outside quotes; without any quote in
    /// it, simply after its last line break.
    /// </summary>
    private sealed class BlockSplitter(Stream stream, ReadOnlySpan<byte> pending, long line, int blockSize)
    {
        private readonly Stream _stream = stream;
        private byte[] _carry = pending.ToArray();
        private int _carried = pending.Length;
        private long _line = line;
        private bool _eof;

        /// <summary>The next block (in a pooled array), its length, and the line of its first record.</summary>
        internal bool Next(out byte[] block, out int length, out long line)
        {
            block = ArrayPool<byte>.Shared.Rent(Math.Max(blockSize, _carried * 2));
            _carry.AsSpan(0, _carried).CopyTo(block);
            var filled = _carried;
            while (true)
            {
                while (!_eof && filled < block.Length)
                {
                    var read = _stream.Read(block, filled, block.Length - filled);
                    _eof = read == 0;
                    filled += read;
                }

                var cut = _eof ? filled : LastBoundary(block.AsSpan(0, filled));
                if (cut > 0)
                {
                    _carried = filled - cut;
                    if (_carry.Length < _carried)
                    {
                        _carry = new byte[_carried];
                    }

                    block.AsSpan(cut, _carried).CopyTo(_carry);
                    length = cut;
                    line = _line;
                    _line += block.AsSpan(0, cut).Count((byte)'\n');
                    return true;
                }

                if (_eof)
                {
                    ArrayPool<byte>.Shared.Return(block);
                    block = [];
                    length = 0;
                    line = _line;
                    return false;
                }

                // One record longer than the block: a larger block.
                var larger = ArrayPool<byte>.Shared.Rent(block.Length * 2);
                block.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(block);
                block = larger;
            }
        }

        /// <summary>The length up to and including the last line break outside quotes (0 if none).</summary>
        private static int LastBoundary(ReadOnlySpan<byte> data)
        {
            if (!data.Contains((byte)'"'))
            {
                return data.LastIndexOf((byte)'\n') + 1;
            }

            var last = 0;
            var i = 0;
            while (i < data.Length)
            {
                var next = data[i..].IndexOfAny((byte)'\n', (byte)'"');
                if (next < 0)
                {
                    break;
                }

                i += next;
                if (data[i] == (byte)'\n')
                {
                    last = ++i;
                    continue;
                }

                // A quoted stretch: jump to its closing quote ("" inside is two quotes, closing and reopening).
                var close = data[(i + 1)..].IndexOf((byte)'"');
                if (close < 0)
                {
                    break;
                }

                i += close + 2;
            }

            return last;
        }
    }

    /// <summary>
    /// Touch names to channel ids for all the block parsers at once, looked up by their UTF-8 bytes without making a
    /// string: an open-addressing table keyed by the name's length and its first and last eight bytes (which are the
    /// whole name up to 16 bytes, so shorter names need no further comparison). Lookups take no lock; a new name is
    /// added under a lock and published whole (a new entry, or a new larger table).
    /// </summary>
    private sealed class TouchInterner
    {
        private readonly Lock _lock = new();
        private readonly List<string> _names = [];
        private Entry?[] _slots = new Entry?[64];

        /// <summary>The names by id (read when no parser runs any more).</summary>
        internal IReadOnlyList<string> Names => _names;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Intern(ReadOnlySpan<byte> name)
        {
            var (head, tail) = Words(name);
            var slots = Volatile.Read(ref _slots);
            var mask = slots.Length - 1;
            var slot = Slot(head, tail, name.Length) & mask;
            while (true)
            {
                var entry = Volatile.Read(ref slots[slot]);
                if (entry is null)
                {
                    return Add(name, head, tail);
                }

                if (entry.Head == head && entry.Tail == tail && entry.Key.Length == name.Length && (name.Length <= 16 || name.SequenceEqual(entry.Key)))
                {
                    return entry.Id;
                }

                slot = (slot + 1) & mask;
            }
        }

        private int Add(ReadOnlySpan<byte> name, ulong head, ulong tail)
        {
            lock (_lock)
            {
                var slots = _slots;
                var mask = slots.Length - 1;
                var slot = Slot(head, tail, name.Length) & mask;
                for (; slots[slot] is { } entry; slot = (slot + 1) & mask)
                {
                    if (entry.Key.AsSpan().SequenceEqual(name))
                    {
                        return entry.Id;
                    }
                }

                var added = new Entry(name.ToArray(), head, tail, _names.Count);
                _names.Add(Encoding.UTF8.GetString(name));
                if (_names.Count * 2 > slots.Length)
                {
                    var larger = new Entry?[slots.Length * 2];
                    foreach (var entry in slots)
                    {
                        if (entry is not null)
                        {
                            Place(larger, entry);
                        }
                    }

                    Place(larger, added);
                    Volatile.Write(ref _slots, larger);
                }
                else
                {
                    Volatile.Write(ref slots[slot], added);
                }

                return added.Id;
            }
        }

        private static void Place(Entry?[] slots, Entry entry)
        {
            var mask = slots.Length - 1;
            var slot = Slot(entry.Head, entry.Tail, entry.Key.Length) & mask;
            while (slots[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (ulong Head, ulong Tail) Words(ReadOnlySpan<byte> name)
        {
            if (name.Length >= 8)
            {
                return (MemoryMarshal.Read<ulong>(name), MemoryMarshal.Read<ulong>(name[^8..]));
            }

            if (name.Length >= 4)
            {
                return (MemoryMarshal.Read<uint>(name), MemoryMarshal.Read<uint>(name[^4..]));
            }

            ulong head = 0;
            foreach (var b in name)
            {
                head = (head << 8) | b;
            }

            return (head, 0);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Slot(ulong head, ulong tail, int length)
        {
            var h = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)length;
            return (int)(h >> 40);
        }

        private sealed class Entry(byte[] key, ulong head, ulong tail, int id)
        {
            internal byte[] Key { get; } = key;

            internal ulong Head { get; } = head;

            internal ulong Tail { get; } = tail;

            internal int Id { get; } = id;
        }
    }

    /// <summary>
    /// The table's arrays while blocks are parsed into them: each block reserves a stretch of rows and touches (in file
    /// order, on the reading thread) and fills it; <see cref="Table"/> closes up the gaps and numbers the channels in order
    /// of first appearance.
    /// </summary>
    private sealed class TableWriter((long Rows, long Touches) estimate)
    {
        internal TouchInterner Interner { get; } = new();

        // Row lengths while parsing; turned into row offsets (one more slot) at the end.
        internal int[] Lengths { get; private set; } = new int[Capacity(estimate.Rows) + 1];

        internal int[] Touches { get; private set; } = GC.AllocateUninitializedArray<int>(Capacity(estimate.Touches));

        internal long[] Conversions { get; private set; } = GC.AllocateUninitializedArray<long>(Capacity(estimate.Rows));

        internal double[] Values { get; private set; } = GC.AllocateUninitializedArray<double>(Capacity(estimate.Rows));

        internal long[] Nulls { get; private set; } = GC.AllocateUninitializedArray<long>(Capacity(estimate.Rows));

        /// <summary>Where the next reserved stretch begins.</summary>
        internal int RowCursor { get; private set; }

        internal int TouchCursor { get; private set; }

        internal bool Fits(int rows, long touches) => RowCursor + (long)rows <= Conversions.Length && TouchCursor + touches <= Touches.Length;

        /// <summary>Reserves the next stretch (the caller checked <see cref="Fits"/>); returns where it begins.</summary>
        internal (int Row, int Touch) Reserve(int rows, int touches)
        {
            var at = (RowCursor, TouchCursor);
            RowCursor += rows;
            TouchCursor += touches;
            return at;
        }

        /// <summary>Makes room for at least this much more (no parser may be running).</summary>
        internal void Grow(int rows, long touches)
        {
            var rowCapacity = Capacity(Math.Max(RowCursor + (long)rows, Conversions.Length * 3L / 2));
            var touchCapacity = Capacity(Math.Max(TouchCursor + touches, Touches.Length * 3L / 2));
            Lengths = Resized(Lengths, rowCapacity + 1, RowCursor);
            Conversions = Resized(Conversions, rowCapacity, RowCursor);
            Values = Resized(Values, rowCapacity, RowCursor);
            Nulls = Resized(Nulls, rowCapacity, RowCursor);
            Touches = Resized(Touches, touchCapacity, TouchCursor);
        }

        /// <summary>The table, once every block is parsed (<paramref name="parts"/> in file order).</summary>
        internal AttributionTable Table(IReadOnlyList<RowParser> parts, bool hasValue)
        {
            int rows = 0, touches = 0;
            foreach (var part in parts)
            {
                if (part.FirstRow != rows)
                {
                    Array.Copy(Lengths, part.FirstRow, Lengths, rows, part.Rows);
                    Array.Copy(Conversions, part.FirstRow, Conversions, rows, part.Rows);
                    Array.Copy(Values, part.FirstRow, Values, rows, part.Rows);
                    Array.Copy(Nulls, part.FirstRow, Nulls, rows, part.Rows);
                }

                if (part.FirstTouch != touches)
                {
                    Array.Copy(Touches, part.FirstTouch, Touches, touches, part.Touches);
                }

                rows += part.Rows;
                touches += part.Touches;
            }

            var offsets = Lengths;
            var sum = 0;
            for (var r = 0; r < rows; r++)
            {
                var length = offsets[r];
                offsets[r] = sum;
                sum += length;
            }

            offsets[rows] = sum;
            return new AttributionTable(NumberInOrder(touches), offsets, Touches, Conversions, Values, Nulls, rows, hasValue);
        }

        /// <summary>
        /// Renumbers the channels in order of first appearance in the table (the parsers met them in no fixed order);
        /// names only met in rejected rows come last, by name.
        /// </summary>
        private string[] NumberInOrder(int touches)
        {
            var names = Interner.Names;
            var order = new int[names.Count];
            Array.Fill(order, -1);
            var next = 0;
            for (var i = 0; i < touches && next < names.Count; i++)
            {
                if (order[Touches[i]] < 0)
                {
                    order[Touches[i]] = next++;
                }
            }

            foreach (var id in Enumerable.Range(0, names.Count).Where(id => order[id] < 0).OrderBy(id => names[id], StringComparer.Ordinal))
            {
                order[id] = next++;
            }

            var ordered = new string[names.Count];
            var identity = true;
            for (var id = 0; id < order.Length; id++)
            {
                ordered[order[id]] = names[id];
                identity &= order[id] == id;
            }

            if (!identity)
            {
                for (var i = 0; i < touches; i++)
                {
                    Touches[i] = order[Touches[i]];
                }
            }

            return ordered;
        }

        private static int Capacity(long wanted) =>
            wanted < Array.MaxLength ? (int)Math.Max(16, wanted) : throw new InvalidOperationException("The path table has too many rows or touches to hold in memory.");

        private static T[] Resized<T>(T[] array, int size, int used)
        {
            var larger = GC.AllocateUninitializedArray<T>(size);
            Array.Copy(array, larger, used);
            return larger;
        }
    }
}
