namespace Pretzel.Core.Storage;

/// <summary>A store could not do what was asked; the message is meant for the user.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StoreException()
    {
    }
}
