using System.Text;

namespace Pretzel.Ingest.Import;

/// <summary>Writes rejected rows as CSV (<c>line,column,value,reason</c>), opened on the first rejected row.</summary>
internal sealed class RejectsFile : IDisposable
{
    private readonly string _preferredPath;
    private StreamWriter? _writer;

    internal RejectsFile(string preferredPath)
    {
        _preferredPath = preferredPath;
    }

    /// <summary>Where the rows went, once the first was written.</summary>
    internal string? PathWritten { get; private set; }

    internal void Write(RowError error)
    {
        _writer ??= Open();
        if (error.Origin is { } origin)
        {
            Field(origin);
        }
        else
        {
            _writer.Write(error.Line);
        }

        _writer.Write(',');
        Field(error.Column);
        _writer.Write(',');
        Field(error.Value);
        _writer.Write(',');
        Field(error.Reason);
        _writer.Write('\n');
    }

    private StreamWriter Open()
    {
        StreamWriter Create(string path)
        {
            var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
            w.Write("line,column,value,reason\n");
            PathWritten = System.IO.Path.GetFullPath(path);
            return w;
        }

        try
        {
            return Create(_preferredPath);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // The input's folder may be read-only (a shared data set): fall back to the working folder.
            return Create(System.IO.Path.GetFileName(_preferredPath));
        }
    }

    private void Field(string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            _writer!.Write(value);
            return;
        }

        _writer!.Write('"');
        _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public void Dispose() => _writer?.Dispose();
}
