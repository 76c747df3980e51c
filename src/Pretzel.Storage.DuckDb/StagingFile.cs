using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Pretzel.Core.Events;

namespace Pretzel.Storage.DuckDb;

/// <summary>
/// Events serialised as tab-separated UTF-8 for DuckDB's parallel <c>read_csv</c>. Measured here on
/// 1M events: the Appender stages ~0.5M rows/s (one native call per value), while writing this file
/// and reading it back with <c>read_csv</c> moves them ~2× faster, and the read runs on DuckDB's threads.
/// Times are microseconds since the Unix epoch; null is an empty unquoted field, and fields holding a
/// tab, newline or quote are quoted with doubled quotes.
/// </summary>
internal sealed class StagingFile : IDisposable
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create("\t\n\r\"");
    private readonly FileStream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _used;

    private readonly HashSet<string>[] _enumValues;
    private readonly string?[] _lastEnumValue = new string?[EnumColumns.Names.Length];

    internal StagingFile(string directory)
    {
        _enumValues = new HashSet<string>[EnumColumns.Names.Length];
        for (var i = 0; i < _enumValues.Length; i++)
        {
            _enumValues[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        FilePath = Path.Combine(directory, $"pretzel-staging-{Environment.ProcessId}-{Guid.NewGuid():N}.tsv");
        _stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
    }

    internal string FilePath { get; }

    /// <summary>The distinct values of each ENUM column in this file, in <see cref="EnumColumns.Names"/> order.</summary>
    internal IReadOnlyList<HashSet<string>> EnumValues => _enumValues;

    private void See(int column, string? value)
    {
        // Values are mostly shared strings repeated row after row: a reference check skips the hash.
        if (value is null || ReferenceEquals(value, _lastEnumValue[column]))
        {
            return;
        }

        _lastEnumValue[column] = value;
        _enumValues[column].Add(value);
    }

    internal void Write(Event e)
    {
        var type = e.Type.Name();
        See(0, type);
        See(1, e.Name);
        See(2, e.Channel);
        See(3, e.Source);
        See(4, e.Medium);
        See(5, e.Campaign);
        See(6, e.Content);
        See(7, e.Term);
        See(8, e.Currency);
        Text(e.MessageId); Tab();
        Ascii(type); Tab();
        Text(e.Name); Tab();
        Micros(e.Timestamp); Tab();
        Micros(e.ReceivedAt); Tab();
        Text(e.AnonymousId); Tab();
        Text(e.UserId); Tab();
        Text(e.PreviousId); Tab();
        Text(e.GroupId); Tab();
        Text(e.Channel); Tab();
        Text(e.Source); Tab();
        Text(e.Medium); Tab();
        Text(e.Campaign); Tab();
        Text(e.Content); Tab();
        Text(e.Term); Tab();
        Text(e.Referrer); Tab();
        if (e.Revenue is double revenue)
        {
            Ensure(32);
            Utf8Formatter.TryFormat(revenue, _buffer.AsSpan(_used), out var n, new StandardFormat('R'));
            _used += n;
        }

        Tab();
        Text(e.Currency); Tab();
        Text(e.Properties);
        Ensure(1);
        _buffer[_used++] = (byte)'\n';
    }

    /// <summary>The <c>read_csv</c> call that reads this file with the events table's columns.</summary>
    internal string ReadSql() => $$"""
        SELECT message_id, type, event, make_timestamp(ts) AS timestamp, make_timestamp(rt) AS received_at,
               anonymous_id, user_id, previous_id, group_id, channel, source, medium, campaign, content, term,
               referrer, revenue, currency, properties
        FROM read_csv('{{FilePath.Replace("'", "''", StringComparison.Ordinal)}}', delim = '\t', quote = '"', escape = '"',
            header = false, auto_detect = false, allow_quoted_nulls = false,
            columns = {'message_id': 'VARCHAR', 'type': 'VARCHAR', 'event': 'VARCHAR', 'ts': 'BIGINT', 'rt': 'BIGINT',
                       'anonymous_id': 'VARCHAR', 'user_id': 'VARCHAR', 'previous_id': 'VARCHAR', 'group_id': 'VARCHAR',
                       'channel': 'VARCHAR', 'source': 'VARCHAR', 'medium': 'VARCHAR', 'campaign': 'VARCHAR',
                       'content': 'VARCHAR', 'term': 'VARCHAR', 'referrer': 'VARCHAR', 'revenue': 'DOUBLE',
                       'currency': 'VARCHAR', 'properties': 'VARCHAR'})
        """;

    internal void Flush()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
        _stream.Flush();
    }

    private void Tab()
    {
        Ensure(1);
        _buffer[_used++] = (byte)'\t';
    }

    private void Micros(DateTime t)
    {
        Ensure(24);
        var micros = Pretzel.Core.Events.EventTime.ToMicros(t);
        Utf8Formatter.TryFormat(micros, _buffer.AsSpan(_used), out var n);
        _used += n;
    }

    private void Ascii(string s)
    {
        Ensure(s.Length);
        _used += Encoding.ASCII.GetBytes(s, _buffer.AsSpan(_used));
    }

    private void Text(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return;
        }

        if (s.AsSpan().IndexOfAny(NeedsQuoting) < 0)
        {
            Ensure(Encoding.UTF8.GetMaxByteCount(s.Length));
            _used += Encoding.UTF8.GetBytes(s, _buffer.AsSpan(_used));
            return;
        }

        var quoted = "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        Ensure(Encoding.UTF8.GetMaxByteCount(quoted.Length));
        _used += Encoding.UTF8.GetBytes(quoted, _buffer.AsSpan(_used));
    }

    private void Ensure(int bytes)
    {
        if (_used + bytes <= _buffer.Length)
        {
            return;
        }

        _stream.Write(_buffer, 0, _used);
        _used = 0;
        if (bytes > _buffer.Length)
        {
            _buffer = new byte[bytes];
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        try
        {
            File.Delete(FilePath);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless; the next run does not read it.
        }
    }
}
