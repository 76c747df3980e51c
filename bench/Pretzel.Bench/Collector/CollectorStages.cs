using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Pretzel.Core.Events;
using Pretzel.Ingest.Collect;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Bench.Collector;

/// <summary>
/// Times the CPU stages of the collector one at a time, on one thread, with the same library calls the
/// server makes per request (<c>CollectorEndpoints.AcceptAsync</c>: parse the body, validate each message
/// with <see cref="ReceivedBatch"/>, write it as a JSON line) and per log segment (<c>ProjectRuntime.MoveAsync</c>:
/// import the JSON lines into DuckDB). In µs per event, so they can be set against the server's measured
/// CPU per event: what the stages do not explain is HTTP, scheduling, GC and contention.
/// </summary>
public static class CollectorStages
{
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), SkipValidation = true };

    public sealed record Result(double ParseUs, double ValidateUs, double WriteLineUs, double CollectCpuUs, double ImportUs, double ImportCpuUs, int Events);

    /// <summary>The mover's cost into a store that already holds the run's events: one segment's import, and the identity rebuild every import ends with.</summary>
    public sealed record GrownStore(long StoredEvents, double ImportUs, double ImportCpuUs, double RebuildMs, int Events);

    public static async Task<GrownStore> MeasureGrownStoreAsync(string dbPath, PreparedBatch[] sample, string dir)
    {
        var events = sample.Sum(b => b.Events);
        var (_, _, _, lines) = CollectPath(sample);
        var jsonl = Path.Combine(dir, "stage-late.jsonl");
        await File.WriteAllBytesAsync(jsonl, lines).ConfigureAwait(false);
        using var store = DuckDbEventStore.Open(dbPath);
        var count = await store.QueryAsync("select count(*) from events").ConfigureAwait(false);
        var stored = Convert.ToInt64(count.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
        var rebuild = double.MaxValue;
        for (var run = 0; run < 2; run++)
        {
            var sw = Stopwatch.StartNew();
            await Pretzel.Ingest.Identity.IdentityStitcher.RebuildAsync(store).ConfigureAwait(false);
            rebuild = Math.Min(rebuild, sw.Elapsed.TotalMilliseconds);
        }

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var report = await new EventImporter(store, ProjectSettings.Default, TimeProvider.System).ImportFileAsync(jsonl, new ImportOptions { Format = ImportFormat.JsonLines }).ConfigureAwait(false);
        var wall = watch.Elapsed.TotalMicroseconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds;
        File.Delete(jsonl);
        if (report.Written != events)
        {
            throw new InvalidOperationException($"late import stored {report.Written} of {events}");
        }

        return new GrownStore(stored, wall / events, cpu / events, rebuild, events);
    }

    public static async Task<Result> MeasureAsync(PreparedBatch[] sample, string dir)
    {
        var events = sample.Sum(b => b.Events);
        double parse = double.MaxValue, validate = double.MaxValue, write = double.MaxValue, collectCpu = double.MaxValue;
        byte[] lines = [];
        for (var run = 0; run < 3; run++)
        {
            var c0 = Process.GetCurrentProcess().TotalProcessorTime;
            var (p, v, w, l) = CollectPath(sample);
            collectCpu = Math.Min(collectCpu, (Process.GetCurrentProcess().TotalProcessorTime - c0).TotalMicroseconds);
            parse = Math.Min(parse, p);
            validate = Math.Min(validate, v);
            write = Math.Min(write, w);
            lines = l;
        }

        var jsonl = Path.Combine(dir, "stage-segment.jsonl");
        await File.WriteAllBytesAsync(jsonl, lines).ConfigureAwait(false);
        double import = double.MaxValue, importCpu = double.MaxValue;
        for (var run = 0; run < 2; run++)
        {
            var db = Path.Combine(dir, $"stage-{run}.duckdb");
            using var store = DuckDbEventStore.Open(db);
            var importer = new EventImporter(store, ProjectSettings.Default, TimeProvider.System);
            var c0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var report = await importer.ImportFileAsync(jsonl, new ImportOptions { Format = ImportFormat.JsonLines }).ConfigureAwait(false);
            import = Math.Min(import, sw.Elapsed.TotalMicroseconds);
            importCpu = Math.Min(importCpu, (Process.GetCurrentProcess().TotalProcessorTime - c0).TotalMicroseconds);
            if (report.Written != events)
            {
                throw new InvalidOperationException($"stage import stored {report.Written} of {events}");
            }
        }

        File.Delete(jsonl);
        return new Result(parse / events, validate / events, write / events, collectCpu / events, import / events, importCpu / events, events);
    }

    private static (double Parse, double Validate, double Write, byte[] Lines) CollectPath(PreparedBatch[] sample)
    {
        double parse = 0, validate = 0, write = 0;
        var all = new ArrayBufferWriter<byte>();
        var accepted = new List<Event>(500);
        foreach (var batch in sample)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var doc = JsonDocument.Parse(batch.Body, new JsonDocumentOptions { MaxDepth = 32 });
            var messages = doc.RootElement.GetProperty("batch").EnumerateArray().ToList();
            var t1 = Stopwatch.GetTimestamp();
            var validator = new ReceivedBatch(DateTime.UtcNow, ReceivedBatch.TryParseTime(doc.RootElement.GetProperty("sentAt"), out var s) ? s : null);
            accepted.Clear();
            foreach (var m in messages)
            {
                // The server also measures each message's size this way before validating it.
                _ = System.Text.Encoding.UTF8.GetByteCount(m.GetRawText());
                if (!validator.TryAccept(m, null, out var e, out var error))
                {
                    throw new InvalidOperationException("a generated message was refused: " + error!.Message);
                }

                accepted.Add(e!);
            }

            var t2 = Stopwatch.GetTimestamp();
            var lines = new ArrayBufferWriter<byte>(Math.Max(256, messages.Count * 512));
            using (var writer = new Utf8JsonWriter(lines, LineOptions))
            {
                foreach (var e in accepted)
                {
                    EventJsonLine.Write(writer, e);
                    writer.Flush();
                    writer.Reset();
                    lines.Write("\n"u8);
                }
            }

            _ = lines.WrittenSpan.ToArray();
            var t3 = Stopwatch.GetTimestamp();
            all.Write(lines.WrittenSpan);
            parse += Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
            validate += Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
            write += Stopwatch.GetElapsedTime(t2, t3).TotalMicroseconds;
        }

        return (parse, validate, write, all.WrittenSpan.ToArray());
    }
}
