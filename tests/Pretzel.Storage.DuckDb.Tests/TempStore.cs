namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>A fresh folder under the temp path for one test's store files, deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "pretzel-store-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DbPath = Path.Combine(Folder, "pretzel.duckdb");
    }

    public string Folder { get; }

    public string DbPath { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }
}
