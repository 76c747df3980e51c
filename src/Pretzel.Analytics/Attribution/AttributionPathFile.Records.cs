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

// Splitting the file into records and blocks of whole records.
public static partial class AttributionPathFile
{
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
}
