using System.Diagnostics;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Identity;
using Pretzel.Ingest.Projects;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Imports files or event streams into a store: read → validate → normalise (channel rules) → write,
/// then rebuild the identity map. Reading, validating and staging run on one thread while the store
/// inserts the previous chunk on another. Valid rows are kept whatever else is wrong with the file; every rejected
/// row is written to a rejects file with its line, column, value and reason.
/// </summary>
public sealed class EventImporter
{
    private readonly IEventStore _store;
    private readonly ProjectSettings _settings;
    private readonly TimeProvider _time;

    public EventImporter(IEventStore store, ProjectSettings settings, TimeProvider time)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>
    /// Leave the identity map as it is after writing; the report's <see cref="ImportReport.IdentityMapStale"/>
    /// says whether the caller must rebuild it (the collector does so once per burst of moves, not per move).
    /// </summary>
    public bool SkipIdentityRebuild { get; init; }

    /// <summary>The rejects file used for <paramref name="input"/> when none is given: <c>INPUT.rejects.csv</c>.</summary>
    public static string DefaultRejectsPath(string input) => input + ".rejects.csv";

    /// <summary>Imports one CSV or JSON-lines file.</summary>
    public async Task<ImportReport> ImportFileAsync(string path, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var format = options.Format == ImportFormat.Auto ? Detect(path) : options.Format;
        var total = File.Exists(path) ? new FileInfo(path).Length : 0;
        var stopwatch = Stopwatch.StartNew();
        using IRowSource source = format == ImportFormat.Csv ? new CsvRowSource(path, options) : new JsonLinesRowSource(path, options);
        var builder = new EventRowBuilder(source.FieldColumns, options.Limits, _time.GetUtcNow().UtcDateTime);
        var rejectsPath = options.RejectsPath ?? DefaultRejectsPath(path);
        using var rejects = new RejectsFile(rejectsPath);
        var errors = new List<RowError>();
        long rows = 0;
        long rejected = 0;

        IEnumerable<Event> Rows()
        {
            var row = new RawRow();
            while (source.Read(row, out var error))
            {
                rows++;
                if (error is null && builder.TryBuild(row, out var e, out error))
                {
                    yield return e!;
                }
                else
                {
                    if (row.Origin is { } origin)
                    {
                        error = error! with { Origin = origin };
                    }

                    rejected++;
                    if (errors.Count < 1000)
                    {
                        errors.Add(error!);
                    }

                    rejects.Write(error!);
                }

                if ((rows & 0xFFFF) == 0)
                {
                    progress?.Report(new ImportProgress(source.BytesRead, total, rows, rejected));
                }
            }
        }

        var (result, links) = await WriteAsync(Rows(), cancellationToken).ConfigureAwait(false);
        progress?.Report(new ImportProgress(total, total, rows, rejected));
        rejects.Dispose();
        if (rejects.PathWritten is null && options.RejectsPath is null && File.Exists(rejectsPath))
        {
            // A rejects file from an earlier import of this input would now be misleading.
            TryDelete(rejectsPath);
        }

        return new ImportReport(path, rows, result.Written, result.Duplicates, rejected, errors, rejects.PathWritten, stopwatch.Elapsed, source.Stopped)
        {
            IdentityMapStale = SkipIdentityRebuild && links && result.Written > 0,
        };
    }

    /// <summary>Imports events produced in code (the demo generator, tests): normalised and deduplicated like file rows.</summary>
    public async Task<ImportReport> ImportEventsAsync(IEnumerable<Event> events, string label, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var stopwatch = Stopwatch.StartNew();
        long rows = 0;

        IEnumerable<Event> Counted()
        {
            foreach (var e in events)
            {
                rows++;
                if ((rows & 0xFFFF) == 0)
                {
                    progress?.Report(new ImportProgress(0, 0, rows, 0));
                }

                yield return e;
            }
        }

        var (result, links) = await WriteAsync(Counted(), cancellationToken).ConfigureAwait(false);
        progress?.Report(new ImportProgress(0, 0, rows, 0));
        return new ImportReport(label, rows, result.Written, result.Duplicates, 0, [], null, stopwatch.Elapsed, null)
        {
            IdentityMapStale = SkipIdentityRebuild && links && result.Written > 0,
        };
    }

    // Rows are read, validated, normalised and handed to the writer on one thread, in small batches
    // that are reused: measured on 2M rows, passing 100k-event batches to a second thread kept them
    // alive long enough to be promoted, and the resulting gen-2 collections cost more (3 s) than the
    // whole read stage (1.4 s). The store's own work (DuckDB's insert) runs on the other core.
    private const int HandOffBatch = 4096;

    private async Task<(AppendResult Result, bool Links)> WriteAsync(IEnumerable<Event> events, CancellationToken cancellationToken)
    {
        var rules = _settings.Channels;
        AppendResult result;
        var links = false;
        try
        {
            using var writer = _store.OpenWriter();
            var batch = new List<Event>(HandOffBatch);
            foreach (var e in events)
            {
                links |= IdentityStitcher.CarriesLink(e);
                batch.Add(rules.Normalize(e));
                if (batch.Count == HandOffBatch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    writer.Write(batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                writer.Write(batch);
            }

            result = await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Chunks committed before the failure are stored: keep the identity map in step with them.
            if (!SkipIdentityRebuild)
            {
                await TryRebuildIdentitiesAsync().ConfigureAwait(false);
            }

            throw;
        }

        // Ids that no link joins resolve to themselves without the map (see the person views), so
        // events known only by an anonymous id cannot change it.
        if (result.Written > 0 && links && !SkipIdentityRebuild)
        {
            await IdentityStitcher.RebuildAsync(_store, cancellationToken).ConfigureAwait(false);
        }

        return (result, links);
    }

    private async Task TryRebuildIdentitiesAsync()
    {
        try
        {
            await IdentityStitcher.RebuildAsync(_store, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The import's own failure is the one to report; the next successful import rebuilds the map.
        }
    }

    private static ImportFormat Detect(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".csv" or ".tsv" or ".txt" => ImportFormat.Csv,
            ".jsonl" or ".ndjson" or ".json" => ImportFormat.JsonLines,
            ".gz" => throw new ImportException($"{path}: compressed input is not read directly; decompress it first (gunzip)"),
            ".parquet" => throw new ImportException($"{path}: Parquet is read by `pretzel import` on the embedded store only"),
            _ => throw new ImportException($"{path}: cannot tell the format from the extension '{ext}'; pass --format csv or --format jsonl"),
        };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leaving a stale rejects file is not worth failing an import for.
        }
    }
}
