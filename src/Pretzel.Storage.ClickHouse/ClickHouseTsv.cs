using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// ClickHouse's TabSeparated format: one row per line, fields separated by tabs, <c>\N</c> for null, and
/// inside a field a backslash escape for backslash, tab, line feed, carriage return, NUL, backspace and
/// form feed (ClickHouse also writes <c>\'</c>, which <see cref="Unescape"/> reads). Everything else,
/// any Unicode included, is plain UTF-8.
/// </summary>
internal static class ClickHouseTsv
{
    internal const string Null = @"\N";

    private static readonly SearchValues<char> Special = SearchValues.Create("\\\t\n\r\0\b\f");

    /// <summary>The escaped form of <paramref name="value"/> as it goes inside a field.</summary>
    internal static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny(Special) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\0': sb.Append(@"\0"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The value of an escaped field (or of the inside of a quoted literal).</summary>
    internal static string Unescape(ReadOnlySpan<char> field)
    {
        var backslash = field.IndexOf('\\');
        if (backslash < 0)
        {
            return field.ToString();
        }

        var sb = new StringBuilder(field.Length);
        sb.Append(field[..backslash]);
        for (var i = backslash; i < field.Length; i++)
        {
            var c = field[i];
            if (c != '\\' || i + 1 == field.Length)
            {
                sb.Append(c);
                continue;
            }

            var next = field[++i];
            switch (next)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'a': sb.Append('\a'); break;
                case 'v': sb.Append('\v'); break;
                case 'e': sb.Append('\u001b'); break;
                case 'x' when i + 2 < field.Length && IsHex(field[i + 1]) && IsHex(field[i + 2]):
                    // \xHH is one byte; ClickHouse writes it only for bytes that are not valid text.
                    sb.Append((char)Convert.ToByte(field.Slice(i + 1, 2).ToString(), 16));
                    i += 2;
                    break;
                default: sb.Append(next); break;
            }
        }

        return sb.ToString();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}

/// <summary>A growing UTF-8 buffer of TabSeparated rows: the body of an INSERT.</summary>
internal sealed class TsvBuffer
{
    private static readonly SearchValues<char> Special = SearchValues.Create("\\\t\n\r\0\b\f");
    private byte[] _buffer;
    private int _length;
    private bool _rowStarted;

    internal TsvBuffer(int capacity = 1 << 16) => _buffer = new byte[capacity];

    /// <summary>Rows ended so far.</summary>
    internal long Rows { get; private set; }

    /// <summary>Bytes written so far.</summary>
    internal int Length => _length;

    internal ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>A string field; null writes <c>\N</c>.</summary>
    internal void String(string? value)
    {
        Separate();
        if (value is null)
        {
            Ascii(ClickHouseTsv.Null);
            return;
        }

        var text = value.AsSpan().IndexOfAny(Special) < 0 ? value : ClickHouseTsv.Escape(value);
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>A nullable string field as Pretzel stores it: null and empty are both <c>\N</c>.</summary>
    internal void NullableString(string? value) => String(string.IsNullOrEmpty(value) ? null : value);

    internal void Int64(long value)
    {
        Separate();
        Ensure(24);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var n);
        _length += n;
    }

    internal void UInt64(ulong? value)
    {
        Separate();
        if (value is not ulong v)
        {
            Ascii(ClickHouseTsv.Null);
            return;
        }

        Ensure(24);
        Utf8Formatter.TryFormat(v, _buffer.AsSpan(_length), out var n);
        _length += n;
    }

    internal void EndRow()
    {
        Ensure(1);
        _buffer[_length++] = (byte)'\n';
        _rowStarted = false;
        Rows++;
    }

    private void Separate()
    {
        if (_rowStarted)
        {
            Ensure(1);
            _buffer[_length++] = (byte)'\t';
        }

        _rowStarted = true;
    }

    private void Ascii(string s)
    {
        Ensure(s.Length);
        _length += Encoding.ASCII.GetBytes(s, _buffer.AsSpan(_length));
    }

    private void Ensure(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(_buffer.Length * 2L, _length + (long)bytes);
        if (size > Array.MaxLength)
        {
            size = Math.Max(Array.MaxLength, _length + bytes);
        }

        Array.Resize(ref _buffer, (int)size);
    }
}
