using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Ingest.Tests.Import;

/// <summary>
/// A temp folder for input files and an in-memory store with an importer whose clock stands at
/// 2026-01-01, so the 2025 times of the test files are in range.
/// </summary>
internal sealed class ImportFixture : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ImportFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "pretzel-import-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Store = DuckDbEventStore.Open(":memory:");
        Importer = new EventImporter(Store, ProjectSettings.Default, new FakeTimeProvider(Now));
    }

    public string Folder { get; }

    public DuckDbEventStore Store { get; }

    public EventImporter Importer { get; }

    public string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public Task<ImportReport> Import(string path, ImportOptions? options = null) =>
        Importer.ImportFileAsync(path, options ?? new ImportOptions());

    public async Task<object?> Scalar(string sql) => Assert.Single((await Store.QueryAsync(sql)).Rows)[0];

    public async Task<long> Count(string where = "true") => Convert.ToInt64(await Scalar($"select count(*) from events where {where}"));

    public async Task<QueryResult> Query(string sql) => await Store.QueryAsync(sql);

    public void Dispose()
    {
        Store.Dispose();
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
