namespace Pretzel.Ingest.Import;

/// <summary>An input that cannot be imported at all (missing file, unusable header, bad option); the message is for the user.</summary>
public sealed class ImportException : Exception
{
    public ImportException(string message)
        : base(message)
    {
    }

    public ImportException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ImportException()
    {
    }
}
