using System.Diagnostics;
using Pretzel.Core.Events;
using Pretzel.Ingest.Channels;
using Pretzel.Ingest.Import;

namespace Pretzel.Bench.Import;

/// <summary>Times the read stage piece by piece on one thread: CSV rows, + validation, + channel rules.</summary>
internal static class ReadStageProbe
{
    internal static void Run(string path)
    {
        for (var stage = 1; stage <= 5; stage++)
        {
            var sw = Stopwatch.StartNew();
            var gc0 = GC.CollectionCount(0);
            var gc2 = GC.CollectionCount(2);
            using var source = new CsvRowSource(path, new ImportOptions());
            var builder = new EventRowBuilder(source.FieldColumns, new ImportLimits(), DateTime.UtcNow);
            var row = new RawRow();
            long n = 0;
            Event? last = null;
            var staging = stage >= 4 ? new Pretzel.Storage.DuckDb.EventChunk() : null;
            var ids = new HashSet<UInt128>(1_000_000);
            while (source.Read(row, out var error))
            {
                n++;
                if (stage >= 2 && error is null && builder.TryBuild(row, out var e, out _))
                {
                    last = stage >= 3 ? ChannelRules.Default.Normalize(e!) : e!;
                    if (stage >= 5 && !ids.Add(System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(last.MessageId.AsSpan()))))
                    {
                        continue;
                    }

                    staging?.Add(last);
                    if (staging?.Count == 500_000)
                    {
                        staging.Clear();
                    }
                }
            }

            Console.WriteLine($"stage {stage}: {n:N0} rows {sw.ElapsedMilliseconds} ms, gen0 {GC.CollectionCount(0) - gc0}, gen2 {GC.CollectionCount(2) - gc2} {last?.Channel}");
        }
    }
}
