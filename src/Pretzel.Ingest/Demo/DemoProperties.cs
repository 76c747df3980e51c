using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Pretzel.Ingest.Demo;

/// <summary>Writes the small <c>properties</c> JSON objects, reusing one buffer.</summary>
internal sealed class DemoProperties
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public DemoProperties() => _writer = new Utf8JsonWriter(_buffer);

    public DemoProperties Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        return this;
    }

    public DemoProperties Add(string name, string? value)
    {
        if (value is not null)
        {
            _writer.WriteString(name, value);
        }

        return this;
    }

    public DemoProperties Add(string name, long value)
    {
        _writer.WriteNumber(name, value);
        return this;
    }

    public DemoProperties Add(string name, double value)
    {
        _writer.WriteNumber(name, value);
        return this;
    }

    public string End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    /// <summary><c>{"name":"value"}</c>.</summary>
    public string One(string name, string value) => Begin().Add(name, value).End();
}
