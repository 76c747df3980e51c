using DuckDB.NET.Data;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Import;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Ingest.Tests.Import;

/// <summary>Parquet goes through <see cref="ParquetInput.ToCsv"/> and then the CSV importer, as <c>pretzel import</c> does.</summary>
public sealed class EventImporterParquetTests : IDisposable
{
    private readonly ImportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ImportFileAsync_ParquetConvertedToCsv_ImportsEveryRowAndField()
    {
        var parquet = Path.Combine(_f.Folder, "events.parquet");
        Copy(parquet, """
            SELECT * FROM (VALUES
                ('p1', TIMESTAMP '2025-03-01 12:00:00.123456', 'u1', NULL, 'purchase', 19.99::DOUBLE, 'eur', 'Paris, "FR"'),
                ('p2', TIMESTAMP '2025-03-02 08:30:00', NULL, 'a2', 'page_view', NULL, NULL, 'line1
            line2'),
                ('p3', TIMESTAMP '2025-03-03 00:00:00', NULL, NULL, 'orphan', NULL, NULL, NULL),
                ('p4', TIMESTAMP '2025-03-04 23:59:59.999999', 'u4', 'a4', 'signup', 0::DOUBLE, NULL, 'x'))
            AS t(message_id, timestamp, user_id, anonymous_id, event, revenue, currency, city)
            """);

        ImportReport report;
        using (var csv = ParquetInput.ToCsv(parquet))
        {
            report = await _f.Import(csv.Path, new ImportOptions { Format = ImportFormat.Csv, Delimiter = ',', RejectsPath = EventImporter.DefaultRejectsPath(parquet) });
            Assert.True(File.Exists(csv.Path));
            csv.Dispose();
            Assert.False(File.Exists(csv.Path));
        }

        Assert.Equal((4, 3, 1), (report.Rows, report.Written, report.Rejected));
        Assert.Contains("anonymous_id or a user_id", Assert.Single(report.Errors).Reason, StringComparison.Ordinal);
        var rows = (await _f.Query("select message_id, timestamp, user_id, anonymous_id, event, revenue, currency, properties->>'city' from events order by 1")).Rows;
        Assert.Equal(["p1", new DateTime(2025, 3, 1, 12, 0, 0).AddTicks(1_234_560), "u1", null, "purchase", 19.99, "EUR", "Paris, \"FR\""], rows[0]);
        Assert.Equal(["p2", new DateTime(2025, 3, 2, 8, 30, 0), null, "a2", "page_view", null, null, "line1\nline2"], rows[1]);
        Assert.Equal(["p4", new DateTime(2025, 3, 4, 23, 59, 59).AddTicks(9_999_990), "u4", "a4", "signup", 0.0, null, "x"], rows[2]);
    }

    [Fact]
    public async Task ImportFileAsync_ParquetWithTimestampWithTimeZone_KeepsTheInstant()
    {
        var parquet = Path.Combine(_f.Folder, "tz.parquet");
        Copy(parquet, """
            SELECT 'z1' AS message_id, TIMESTAMPTZ '2025-03-01 12:00:00.5+02:00' AS timestamp, 'u1' AS user_id, 'signup' AS event
            """);

        using var csv = ParquetInput.ToCsv(parquet);
        var report = await _f.Import(csv.Path, new ImportOptions { Format = ImportFormat.Csv, Delimiter = ',' });

        Assert.Equal(1, report.Written);
        Assert.Equal(new DateTime(2025, 3, 1, 10, 0, 0, 500), await _f.Scalar("select timestamp from events"));
    }

    [Fact]
    public void ToCsv_NotAParquetFile_ThrowsStoreExceptionNamingIt()
    {
        var path = _f.Write("fake.parquet", "this is not parquet");

        var ex = Assert.Throws<StoreException>(() => ParquetInput.ToCsv(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Parquet", ex.Message, StringComparison.Ordinal);
    }

    private static void Copy(string target, string select)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"COPY ({select}) TO '{target.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }
}
