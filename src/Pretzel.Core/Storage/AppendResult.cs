namespace Pretzel.Core.Storage;

/// <summary>What an append did: how many events were new and how many were already stored.</summary>
public readonly record struct AppendResult(long Written, long Duplicates)
{
    public static AppendResult operator +(AppendResult a, AppendResult b) =>
        new(a.Written + b.Written, a.Duplicates + b.Duplicates);
}
