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

// Parsing the fields of one record into a row of the table.
public static partial class AttributionPathFile
{
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
        private readonly NameCache _names;
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
            _names = new NameCache(_interner);
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

        /// <summary>
        /// Every record of the first <paramref name="length"/> bytes of <paramref name="buffer"/>, the first on line
        /// <paramref name="line"/>. Compiled fully optimised from the first call, as are the methods it calls: in a fresh
        /// process, tiered compilation would otherwise run the row loop unoptimised (then instrumented) for the first
        /// tens of milliseconds of a read that takes a few hundred.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Block(byte[] buffer, int length, long line)
        {
            var records = new RecordReader(buffer, length, line);
            while (records.Next(out var start, out var count, out var at))
            {
                Row(buffer, start, count, at);
            }
        }

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

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
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

            Touch(_names.Intern(touch));
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

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
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
}
