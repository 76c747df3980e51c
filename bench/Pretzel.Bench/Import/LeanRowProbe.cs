using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;
using Pretzel.Ingest.Channels;
using Pretzel.Ingest.Identity;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.DuckDb;
using static Pretzel.Bench.Funnel.FunnelMacroBenchmark;

namespace Pretzel.Bench.Import;

/// <summary>
/// A measured prototype of a leaner stored row (ADR 0001, "what would be needed" 1), bench only: the same
/// generated CSV is imported end to end into today's <c>events</c> table (the real importer and store) and
/// into lean layouts built here — ids as UINTEGER codes into an <c>ids</c> dictionary, the message id as a
/// 128-bit hash plus (variants) its text, a prefix code + number, or nothing — and then the same reads run
/// against both: the analyses' column read, typical analyst SQL through an <c>events</c> view that joins the
/// dictionary back, and a <c>person_events</c>-style query. Best of 3 for everything; one process, so the
/// ratios compare. Nothing here is product code.
/// </summary>
internal static class LeanRowProbe
{
    // Smaller than the product's 500k: the lean writer dedups against its own set on the reading thread (no SQL probe
    // per move), so a chunk can be small and the last move, which nothing overlaps, short.
    private const int ChunkRows = 245_760; // two DuckDB row groups
    private const int VectorSize = 2048;
    private const int Runs = 3;

    /// <summary>How a lean layout keeps the message id's text.</summary>
    internal enum MessageText
    {
        /// <summary>As VARCHAR in the row (only the person ids are coded).</summary>
        Varchar,

        /// <summary>As a prefix (ENUM) + a UBIGINT number when the id has that shape; other ids as VARCHAR in the row (NULL otherwise).</summary>
        PrefixNumber,

        /// <summary>A side table (message_hash, message_id), appended with the row.</summary>
        SideTable,

        /// <summary>Not at all: the hash only (lower bound).</summary>
        None,
    }

    // ENUM columns of the lean row, in chunk order (message_prefix last; used by PrefixNumber only).
    private static readonly string[] EnumNames = ["type", "event", "channel", "source", "medium", "campaign", "content", "term", "currency", "message_prefix"];
    private const int MessagePrefix = 9;

    // Coded id columns.
    private static readonly string[] CodeNames = ["anonymous_code", "user_code", "previous_code", "group_code"];

    // Text columns staged in the chunk's arena: the message text (Varchar/SideTable: every id; PrefixNumber: odd ids), referrer, properties.
    private const int TextMessage = 0;
    private const int TextReferrer = 1;
    private const int TextProperties = 2;

    internal static async Task<int> RunAsync(int events)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"pretzel-lean-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var csv = Path.Combine(dir, "events.csv");
            var sw = Stopwatch.StartNew();
            BenchmarkCsv.Write(csv, events);
            Console.WriteLine($"generated {events:N0} events, {new FileInfo(csv).Length / 1e6:F0} MB CSV in {sw.Elapsed.TotalSeconds:F1} s; load {LoadAverage()}");

            // --- write side -------------------------------------------------------------------------
            var scan = Best(Runs, () => Exec(Path.Combine(dir, "scan.duckdb"), $"SELECT count(*) FROM read_csv('{csv}')"));
            var currentDb = Path.Combine(dir, "current.duckdb");
            var current = new Timing();
            for (var run = 0; run < Runs; run++)
            {
                DeleteDb(currentDb);
                var store = DuckDbEventStore.Open(currentDb);
                var importer = new EventImporter(store, ProjectSettings.Default, TimeProvider.System);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                sw.Restart();
                var report = await importer.ImportFileAsync(csv, new ImportOptions()).ConfigureAwait(false);
                var wall = sw.Elapsed;
                var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                sw.Restart();
                store.Dispose();
                current.Add(wall, cpuUsed, sw.Elapsed);
                if (report.Written != events)
                {
                    Console.Error.WriteLine($"current: expected {events:N0} stored, got {report.Written:N0}");
                    return 1;
                }
            }

            var variants = new[] { MessageText.PrefixNumber, MessageText.Varchar, MessageText.SideTable, MessageText.None };
            var lean = new Dictionary<MessageText, Timing>();
            var leanDb = new Dictionary<MessageText, string>();
            // Interleaved (variant after variant, run after run) so a load spike hits all alike.
            for (var run = 0; run < Runs; run++)
            {
                foreach (var variant in variants)
                {
                    var db = Path.Combine(dir, $"lean-{variant}.duckdb".ToLowerInvariant());
                    DeleteDb(db);
                    leanDb[variant] = db;
                    var (written, timing) = LeanImport(csv, db, variant, stageOnly: false, out var stats);
                    if (!lean.TryGetValue(variant, out var t))
                    {
                        lean[variant] = t = new Timing();
                    }

                    t.Add(timing.Wall, timing.Cpu, timing.Close, stats);
                    if (written != events)
                    {
                        Console.Error.WriteLine($"lean {variant}: expected {events:N0} stored, got {written:N0}");
                        return 1;
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine($"WRITE, {events:N0} events, best of {Runs} (wall; CPU of that run; close = dispose/checkpoint, not in wall)   load {LoadAverage()}");
            Console.WriteLine($"{"layout",-58} {"wall s",7} {"events/s",11} {"× scan",7} {"CPU s",6} {"close s",7} {"w+close/s",11}");
            Console.WriteLine($"{"DuckDB read_csv count (baseline)",-58} {scan.TotalSeconds,7:F2} {events / scan.TotalSeconds,11:N0} {1.0,7:F1}");
            Row("current events table (real importer + store)", current, events, scan);
            foreach (var variant in variants)
            {
                Row("lean: codes + hash, message " + Describe(variant), lean[variant], events, scan);
            }

            var stage = new Timing();
            for (var run = 0; run < Runs; run++)
            {
                var db = Path.Combine(dir, "stage-only.duckdb");
                DeleteDb(db);
                var (_, timing) = LeanImport(csv, db, MessageText.PrefixNumber, stageOnly: true, out var stats);
                stage.Add(timing.Wall, timing.Cpu, timing.Close, stats);
            }

            Row("lean, stage only (read+validate+normalise+dedup+code)", stage, events, scan);
            var parse = new Timing();
            for (var run = 0; run < Runs; run++)
            {
                using var nullStore = new NullStore();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                sw.Restart();
                await new EventImporter(nullStore, ProjectSettings.Default, TimeProvider.System).ImportFileAsync(csv, new ImportOptions()).ConfigureAwait(false);
                parse.Add(sw.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu, TimeSpan.Zero);
            }

            Row("pretzel read+validate+normalise only (NullStore)", parse, events, scan);
            Console.WriteLine();
            Console.WriteLine($"lean moves, of the best run: DuckDB-side wall / CPU of the moving thread (ids + events append + commit), reader's wait for moves");
            foreach (var variant in variants)
            {
                var st = lean[variant].Stats;
                Console.WriteLine($"{"  message " + Describe(variant),-58} {st.MoveWall.TotalSeconds,7:F2} s / {st.MoveCpu.TotalSeconds,5:F2} s CPU, reader waited {st.ReaderWait.TotalSeconds,5:F2} s");
            }

            Console.WriteLine();
            Console.WriteLine("FILE SIZE (after close)");
            Console.WriteLine($"{"current events table",-58} {new FileInfo(currentDb).Length / 1e6,8:F1} MB");
            foreach (var variant in variants)
            {
                Console.WriteLine($"{"lean, message " + Describe(variant),-58} {new FileInfo(leanDb[variant]).Length / 1e6,8:F1} MB");
            }

            // --- read side ---------------------------------------------------------------------------
            var read = ReadSide(currentDb, leanDb[MessageText.PrefixNumber], leanDb[MessageText.Varchar]);
            return read;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Describe(MessageText variant) => variant switch
    {
        MessageText.Varchar => "as VARCHAR in the row",
        MessageText.PrefixNumber => "as prefix ENUM + UBIGINT",
        MessageText.SideTable => "text in a side table",
        _ => "not kept (hash only)",
    };

    private static void Row(string label, Timing t, int events, TimeSpan scan) =>
        Console.WriteLine($"{label,-58} {t.Wall.TotalSeconds,7:F2} {events / t.Wall.TotalSeconds,11:N0} {t.Wall / scan,7:F1} {t.Cpu.TotalSeconds,6:F2} {t.Close.TotalSeconds,7:F2} {events / (t.Wall + t.Close).TotalSeconds,11:N0}");

    private sealed class Timing
    {
        internal TimeSpan Wall { get; private set; } = TimeSpan.MaxValue;

        internal TimeSpan Cpu { get; private set; }

        internal TimeSpan Close { get; private set; }

        internal LeanWriterStats Stats { get; private set; }

        internal void Add(TimeSpan wall, TimeSpan cpu, TimeSpan close, LeanWriterStats stats = default)
        {
            if (wall < Wall)
            {
                Wall = wall;
                Cpu = cpu;
                Close = close;
                Stats = stats;
            }
        }
    }

    // ============================================================================================
    // Lean import: read + validate + normalise + dedup + code on this thread, append on another.
    // ============================================================================================

    private static (long Written, (TimeSpan Wall, TimeSpan Cpu, TimeSpan Close) Timing) LeanImport(string csv, string db, MessageText variant) =>
        LeanImport(csv, db, variant, stageOnly: false, out _);

    // This thread's CPU time (utime + stime from /proc/thread-self/stat, 10 ms ticks).
    private static TimeSpan ThreadCpu()
    {
        try
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    private static (long Written, (TimeSpan Wall, TimeSpan Cpu, TimeSpan Close) Timing) LeanImport(string csv, string db, MessageText variant, bool stageOnly, out LeanWriterStats stats)
    {
        var connection = new DuckDBConnection($"Data Source={db}");
        connection.Open();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var writer = new LeanWriter(connection, variant) { StageOnly = stageOnly };
        var rules = ProjectSettings.Default.Channels;
        var seen = new HashSet<UInt128>(1 << 20);
        using (var source = new CsvRowSource(csv, new ImportOptions()))
        {
            var builder = new EventRowBuilder(source.FieldColumns, new ImportLimits(), DateTime.UtcNow);
            var row = new RawRow();
            var links = false;
            while (source.Read(row, out var error))
            {
                if (error is not null || !builder.TryBuild(row, out var e, out _))
                {
                    continue;
                }

                links |= IdentityStitcher.CarriesLink(e!);
                e = rules.Normalize(e!);
                var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(e.MessageId.AsSpan()));
                if (!seen.Add(hash))
                {
                    continue;
                }

                writer.Add(e, hash);
            }

            writer.Finish();
            if (links && !stageOnly)
            {
                writer.RebuildIdentities();
            }
        }

        var wall = sw.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        stats = new LeanWriterStats(writer.MoveWall, writer.MoveCpu, writer.ReaderWait);
        sw.Restart();
        connection.Dispose();
        return (writer.Written, (wall, cpuUsed, sw.Elapsed));
    }

    private readonly record struct LeanWriterStats(TimeSpan MoveWall, TimeSpan MoveCpu, TimeSpan ReaderWait);

    /// <summary>One chunk of lean rows, column by column.</summary>
    private sealed class LeanChunk
    {
        internal int Count;
        internal long[] Hash = new long[2 * ChunkRows];
        internal long[] Number = new long[ChunkRows];
        internal int[][] Enums = EnumNames.Select(_ => new int[ChunkRows]).ToArray();
        internal int[][] Codes = CodeNames.Select(_ => new int[ChunkRows]).ToArray();
        internal long[] Timestamps = new long[ChunkRows];
        internal long[] ReceivedAt = new long[ChunkRows];
        internal double[] Revenue = new double[ChunkRows];
        internal bool[] HasRevenue = new bool[ChunkRows];
        internal long[][] Text = [new long[ChunkRows], new long[ChunkRows], new long[ChunkRows]];
        internal byte[] Arena = new byte[1 << 20];
        internal int ArenaUsed;

        // Set when the chunk is handed over: the ids first coded in it, and every ENUM's labels so far.
        internal List<string> NewIds = [];
        internal int FirstNewCode;
        internal string[][] Labels = [];

        internal void Clear()
        {
            Count = 0;
            ArenaUsed = 0;
            NewIds.Clear();
        }

        internal long AddText(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return -1;
            }

            var max = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (Arena.Length - ArenaUsed < max)
            {
                Array.Resize(ref Arena, Math.Max(Arena.Length * 2, ArenaUsed + max));
            }

            var length = Encoding.UTF8.GetBytes(value, Arena.AsSpan(ArenaUsed));
            var slot = ((long)ArenaUsed << 32) | (uint)length;
            ArenaUsed += length;
            return slot;
        }
    }

    /// <summary>Codes ENUM values (store codes assigned in first-seen order, so no mapping at append).</summary>
    private sealed class EnumCoder
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private string? _last;
        private int _lastCode;

        internal List<string> Labels { get; } = [];

        internal int Code(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return -1;
            }

            if (ReferenceEquals(value, _last))
            {
                return _lastCode;
            }

            if (!_index.TryGetValue(value, out var code))
            {
                code = Labels.Count;
                Labels.Add(value);
                _index.Add(value, code);
            }

            _last = value;
            _lastCode = code;
            return code;
        }

        internal int Code(ReadOnlySpan<char> value)
        {
            if (_last is not null && value.SequenceEqual(_last))
            {
                return _lastCode;
            }

            return Code(value.ToString());
        }
    }

    /// <summary>The lean writer: codes on the caller's thread, appends chunks on a background task (one in flight).</summary>
    private sealed class LeanWriter
    {
        private readonly DuckDBConnection _connection;
        private readonly MessageText _variant;
        private readonly EnumCoder[] _enums = EnumNames.Select(_ => new EnumCoder()).ToArray();
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _idText = [];
        private readonly int[] _typeVersion = new int[EnumNames.Length];
        private readonly int[] _typeLabels = new int[EnumNames.Length];
        private LeanChunk _chunk = new();
        private LeanChunk? _spare;
        private Task _move = Task.CompletedTask;
        private bool _created;
        private string? _lastId;
        private int _lastIdCode;

        internal LeanWriter(DuckDBConnection connection, MessageText variant)
        {
            _connection = connection;
            _variant = variant;
            _chunk.FirstNewCode = 0;
        }

        internal long Written { get; private set; }

        /// <summary>Wall time inside moves (DuckDB side: ids + append + commit), CPU of the moving thread, and the reader's waits for a move.</summary>
        internal TimeSpan MoveWall { get; private set; }

        internal TimeSpan MoveCpu { get; private set; }

        internal TimeSpan ReaderWait { get; private set; }

        /// <summary>Only stage (no DuckDB at all): the reader's side alone.</summary>
        internal bool StageOnly { get; init; }

        internal void Add(Event e, UInt128 hash)
        {
            var c = _chunk;
            var row = c.Count;
            c.Hash[2 * row] = (long)(ulong)hash;
            c.Hash[(2 * row) + 1] = (long)(ulong)(hash >> 64);
            c.Enums[0][row] = _enums[0].Code(e.Type.Name());
            c.Enums[1][row] = _enums[1].Code(e.Name);
            c.Enums[2][row] = _enums[2].Code(e.Channel);
            c.Enums[3][row] = _enums[3].Code(e.Source);
            c.Enums[4][row] = _enums[4].Code(e.Medium);
            c.Enums[5][row] = _enums[5].Code(e.Campaign);
            c.Enums[6][row] = _enums[6].Code(e.Content);
            c.Enums[7][row] = _enums[7].Code(e.Term);
            c.Enums[8][row] = _enums[8].Code(e.Currency);
            c.Codes[0][row] = IdCode(e.AnonymousId);
            c.Codes[1][row] = IdCode(e.UserId);
            c.Codes[2][row] = IdCode(e.PreviousId);
            c.Codes[3][row] = IdCode(e.GroupId);
            c.Timestamps[row] = EventTime.ToMicros(e.Timestamp);
            c.ReceivedAt[row] = EventTime.ToMicros(e.ReceivedAt);
            c.HasRevenue[row] = e.Revenue.HasValue;
            c.Revenue[row] = e.Revenue.GetValueOrDefault();
            c.Text[TextReferrer][row] = c.AddText(e.Referrer);
            c.Text[TextProperties][row] = c.AddText(e.Properties);
            switch (_variant)
            {
                case MessageText.Varchar:
                case MessageText.SideTable:
                    c.Text[TextMessage][row] = c.AddText(e.MessageId);
                    break;
                case MessageText.PrefixNumber:
                    if (SplitNumber(e.MessageId, out var prefixLength, out var number))
                    {
                        c.Enums[MessagePrefix][row] = _enums[MessagePrefix].Code(e.MessageId.AsSpan(0, prefixLength));
                        c.Number[row] = number;
                        c.Text[TextMessage][row] = -1;
                    }
                    else
                    {
                        c.Enums[MessagePrefix][row] = -1;
                        c.Text[TextMessage][row] = c.AddText(e.MessageId);
                    }

                    break;
                default:
                    break;
            }

            c.Count = row + 1;
            if (c.Count == ChunkRows)
            {
                StartMove();
            }
        }

        // "abc-123" -> ("abc-", 123) when the text after the prefix is a canonical non-negative number (no
        // leading zero, ≤ 18 digits) so that prefix || number gives the text back exactly; prefix ≤ 32 chars.
        private static bool SplitNumber(string id, out int prefixLength, out long number)
        {
            var i = id.Length;
            while (i > 0 && char.IsAsciiDigit(id[i - 1]))
            {
                i--;
            }

            var digits = id.Length - i;
            prefixLength = i;
            number = 0;
            if (digits == 0 || digits > 18 || i > 32 || (digits > 1 && id[i] == '0'))
            {
                return false;
            }

            for (var k = i; k < id.Length; k++)
            {
                number = (number * 10) + (id[k] - '0');
            }

            return true;
        }

        private int IdCode(string? id)
        {
            if (string.IsNullOrEmpty(id))
            {
                return -1;
            }

            if (ReferenceEquals(id, _lastId))
            {
                return _lastIdCode;
            }

            if (!_ids.TryGetValue(id, out var code))
            {
                code = _idText.Count;
                _idText.Add(id);
                _ids.Add(id, code);
                _chunk.NewIds.Add(id);
            }

            _lastId = id;
            _lastIdCode = code;
            return code;
        }

        internal void Finish()
        {
            StartMove();
            _move.GetAwaiter().GetResult();
        }

        private void StartMove()
        {
            var chunk = _chunk;
            chunk.Labels = _enums.Select(e => e.Labels.ToArray()).ToArray();
            var waited = Stopwatch.StartNew();
            _move.GetAwaiter().GetResult();
            ReaderWait += waited.Elapsed;
            if (StageOnly)
            {
                Written += chunk.Count;
                chunk.Clear();
                _chunk = chunk;
                _chunk.FirstNewCode = _idText.Count;
                return;
            }

            _chunk = Interlocked.Exchange(ref _spare, null) ?? new LeanChunk();
            _chunk.Clear();
            _chunk.FirstNewCode = _idText.Count;
            if (chunk.Count == 0 && chunk.NewIds.Count == 0)
            {
                _spare = chunk;
                return;
            }

            _move = Task.Run(() =>
            {
                var cpu0 = ThreadCpu();
                var sw = Stopwatch.StartNew();
                Move(chunk);
                MoveWall += sw.Elapsed;
                MoveCpu += ThreadCpu() - cpu0;
                chunk.Clear();
                _spare = chunk;
            });
        }

        private void Move(LeanChunk chunk)
        {
            if (!_created)
            {
                CreateSchema(chunk.Labels);
                _created = true;
            }
            else
            {
                ExtendEnums(chunk.Labels);
            }

            using var tx = _connection.BeginTransaction();
            if (chunk.NewIds.Count > 0)
            {
                using var appender = _connection.CreateAppender("ids");
                var code = chunk.FirstNewCode;
                foreach (var id in chunk.NewIds)
                {
                    appender.CreateRow().AppendValue((uint)code++).AppendValue(id).EndRow();
                }
            }

            Written += ChunkAppend.Append(_connection, "events_lean", Sources(), chunk);
            if (_variant == MessageText.SideTable)
            {
                ChunkAppend.Append(_connection, "message_ids", [new(Kind.Hash), new(Kind.Text, TextMessage)], chunk);
            }

            tx.Commit();
        }

        private Source[] Sources()
        {
            var sources = new List<Source> { new(Kind.Hash) };
            switch (_variant)
            {
                case MessageText.Varchar:
                    sources.Add(new(Kind.Text, TextMessage));
                    break;
                case MessageText.PrefixNumber:
                    sources.Add(new(Kind.Enum, MessagePrefix));
                    sources.Add(new(Kind.Number));
                    sources.Add(new(Kind.Text, TextMessage));
                    break;
                default:
                    break;
            }

            sources.AddRange([new(Kind.Enum, 0), new(Kind.Enum, 1), new(Kind.Timestamp), new(Kind.ReceivedAt)]);
            sources.AddRange(Enumerable.Range(0, CodeNames.Length).Select(i => new Source(Kind.Code, i)));
            sources.AddRange(Enumerable.Range(2, 6).Select(i => new Source(Kind.Enum, i)));
            sources.AddRange([new(Kind.Text, TextReferrer), new(Kind.Revenue), new(Kind.Enum, 8), new(Kind.Text, TextProperties)]);
            return [.. sources];
        }

        private string TypeName(int column) => $"lean_{EnumNames[column]}_v{_typeVersion[column]}";

        private void CreateSchema(string[][] labels)
        {
            var sql = new StringBuilder();
            for (var c = 0; c < EnumNames.Length; c++)
            {
                sql.Append("CREATE TYPE ").Append(TypeName(c)).Append(" AS ENUM (").Append(LabelList(labels[c])).Append(");\n");
                _typeLabels[c] = labels[c].Length;
            }

            var message = _variant switch
            {
                MessageText.Varchar => "message_id VARCHAR NOT NULL,",
                MessageText.PrefixNumber => $"message_prefix {TypeName(MessagePrefix)}, message_number UBIGINT, message_text VARCHAR,",
                _ => string.Empty,
            };
            sql.Append(CultureInfo.InvariantCulture, $"""
                CREATE TABLE ids (code UINTEGER NOT NULL, id VARCHAR NOT NULL);
                CREATE TABLE events_lean (
                    message_hash UHUGEINT NOT NULL,
                    {message}
                    type {TypeName(0)} NOT NULL,
                    event {TypeName(1)},
                    timestamp TIMESTAMP NOT NULL,
                    received_at TIMESTAMP NOT NULL,
                    anonymous_code UINTEGER,
                    user_code UINTEGER,
                    previous_code UINTEGER,
                    group_code UINTEGER,
                    channel {TypeName(2)},
                    source {TypeName(3)},
                    medium {TypeName(4)},
                    campaign {TypeName(5)},
                    content {TypeName(6)},
                    term {TypeName(7)},
                    referrer VARCHAR,
                    revenue DOUBLE,
                    currency {TypeName(8)},
                    properties JSON
                );
                CREATE TABLE identities (kind VARCHAR NOT NULL, id VARCHAR NOT NULL, person_id VARCHAR NOT NULL, PRIMARY KEY (kind, id));
                """);
            if (_variant == MessageText.SideTable)
            {
                sql.Append("CREATE TABLE message_ids (message_hash UHUGEINT NOT NULL, message_id VARCHAR NOT NULL);\n");
            }

            var messageId = _variant switch
            {
                MessageText.Varchar => "e.message_id",
                MessageText.PrefixNumber => "coalesce(e.message_text, e.message_prefix::VARCHAR || e.message_number::VARCHAR)",
                MessageText.SideTable => "(SELECT m.message_id FROM message_ids m WHERE m.message_hash = e.message_hash)",
                _ => "NULL::VARCHAR",
            };
            var rest = "e.channel, e.source, e.medium, e.campaign, e.content, e.term, e.referrer, e.revenue, e.currency, e.properties";

            // The analysts' view, two forms: LEFT JOINs to the dictionary, and one list of all ids indexed by code.
            sql.Append(CultureInfo.InvariantCulture, $"""
                CREATE VIEW events AS
                SELECT {messageId} AS message_id, e.type, e.event, e.timestamp, e.received_at,
                       a.id AS anonymous_id, u.id AS user_id, p.id AS previous_id, g.id AS group_id, {rest}
                FROM events_lean e
                LEFT JOIN ids a ON a.code = e.anonymous_code
                LEFT JOIN ids u ON u.code = e.user_code
                LEFT JOIN ids p ON p.code = e.previous_code
                LEFT JOIN ids g ON g.code = e.group_code;
                CREATE VIEW events_list AS
                SELECT {messageId} AS message_id, e.type, e.event, e.timestamp, e.received_at,
                       d.ids[e.anonymous_code + 1] AS anonymous_id, d.ids[e.user_code + 1] AS user_id,
                       d.ids[e.previous_code + 1] AS previous_id, d.ids[e.group_code + 1] AS group_id, {rest}
                FROM events_lean e, (SELECT list(id ORDER BY code) AS ids FROM ids) d;
                CREATE VIEW person_events AS
                SELECT coalesce(iu.person_id, ia.person_id, e.user_id, 'anon:' || e.anonymous_id, 'anon:' || e.previous_id) AS person_id,
                       e.*
                FROM events e
                LEFT JOIN identities iu ON iu.kind = 'user' AND iu.id = e.user_id
                LEFT JOIN identities ia ON ia.kind = 'anonymous' AND ia.id = e.anonymous_id;
                CREATE VIEW person_events_list AS
                SELECT coalesce(iu.person_id, ia.person_id, e.user_id, 'anon:' || e.anonymous_id, 'anon:' || e.previous_id) AS person_id,
                       e.*
                FROM events_list e
                LEFT JOIN identities iu ON iu.kind = 'user' AND iu.id = e.user_id
                LEFT JOIN identities ia ON ia.kind = 'anonymous' AND ia.id = e.anonymous_id;
                """);
            Execute(_connection, sql.ToString());
        }

        private void ExtendEnums(string[][] labels)
        {
            for (var c = 0; c < EnumNames.Length; c++)
            {
                if (labels[c].Length == _typeLabels[c] || (c == MessagePrefix && _variant != MessageText.PrefixNumber))
                {
                    continue;
                }

                // Same labels first, same order: the codes already given stay valid.
                _typeVersion[c]++;
                _typeLabels[c] = labels[c].Length;
                var column = c == MessagePrefix ? "message_prefix" : EnumNames[c];
                Execute(_connection, $"CREATE TYPE {TypeName(c)} AS ENUM ({LabelList(labels[c])}); ALTER TABLE events_lean ALTER COLUMN {column} SET DATA TYPE {TypeName(c)}");
            }
        }

        private static string LabelList(string[] labels) => string.Join(", ", labels.Select(l => "'" + l.Replace("'", "''", StringComparison.Ordinal) + "'"));

        // As the importer does after writing (IdentityStitcher.RebuildAsync): links from the stored ids, then the map.
        internal void RebuildIdentities()
        {
            var links = new List<IdentityLink>();
            using (var cmd = _connection.CreateCommand())
            {
                // On codes (integers); the text comes from this writer's dictionary.
                cmd.CommandText = """
                    SELECT DISTINCT 0 AS k1, anonymous_code AS c1, user_code AS c2
                    FROM events_lean WHERE anonymous_code IS NOT NULL AND user_code IS NOT NULL
                    UNION
                    SELECT DISTINCT CASE WHEN a.previous_code IN (SELECT user_code FROM events_lean WHERE user_code IS NOT NULL) THEN 1 ELSE 0 END,
                           a.previous_code, a.user_code
                    FROM events_lean a WHERE a.type = 'alias' AND a.previous_code IS NOT NULL AND a.user_code IS NOT NULL
                    """;
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    var kind = reader.GetInt32(0) == 1 ? IdentityKind.User : IdentityKind.Anonymous;
                    links.Add(new IdentityLink(
                        new Core.Identity.Identity(kind, _idText[(int)reader.GetFieldValue<uint>(1)]),
                        new Core.Identity.Identity(IdentityKind.User, _idText[(int)reader.GetFieldValue<uint>(2)])));
                }
            }

            var assignments = IdentityStitcher.Stitch(links);
            using var tx = _connection.BeginTransaction();
            using (var appender = _connection.CreateAppender("identities"))
            {
                foreach (var a in assignments)
                {
                    appender.CreateRow().AppendValue(a.Identity.KindName).AppendValue(a.Identity.Id).AppendValue(a.PersonId).EndRow();
                }
            }

            tx.Commit();
        }
    }

    private enum Kind
    {
        Hash,
        Number,
        Enum,
        Code,
        Timestamp,
        ReceivedAt,
        Revenue,
        Text,
    }

    private readonly record struct Source(Kind Kind, int Index = 0);

    /// <summary>
    /// DuckDB's C appender, one 2,048-row data chunk at a time, as NativeChunkAppender does, but without
    /// unsafe code (the bench does not allow it): vectors are filled with Marshal.Copy from the chunk's arrays.
    /// </summary>
    private static class ChunkAppend
    {
        [DllImport("duckdb", EntryPoint = "duckdb_vector_get_data")]
        private static extern IntPtr VectorData(IntPtr vector);

        [DllImport("duckdb", EntryPoint = "duckdb_vector_get_validity")]
        private static extern IntPtr VectorValidity(IntPtr vector);

        [DllImport("duckdb", EntryPoint = "duckdb_vector_assign_string_element_len")]
        private static extern void AssignString(IntPtr vector, ulong index, ref byte text, ulong length);

        internal static long Append(DuckDBConnection connection, string table, Source[] sources, LeanChunk chunk)
        {
            if (NativeMethods.Appender.DuckDBAppenderCreate(connection.NativeConnection, null!, table, out var appender) != DuckDBState.Success)
            {
                throw new InvalidOperationException($"cannot append to {table}");
            }

            using (appender)
            {
                var columns = (int)NativeMethods.Appender.DuckDBAppenderColumnCount(appender);
                if (columns != sources.Length)
                {
                    throw new InvalidOperationException($"{table} has {columns} columns; {sources.Length} sources");
                }

                var types = new DuckDBLogicalType[columns];
                var widths = new int[columns];
                try
                {
                    for (var c = 0; c < columns; c++)
                    {
                        types[c] = NativeMethods.Appender.DuckDBAppenderColumnType(appender, (ulong)c);
                        if (sources[c].Kind == Kind.Enum)
                        {
                            widths[c] = NativeMethods.LogicalType.DuckDBEnumInternalType(types[c]) switch
                            {
                                DuckDBType.UnsignedTinyInt => 1,
                                DuckDBType.UnsignedSmallInt => 2,
                                _ => 4,
                            };
                        }
                    }

                    using var data = NativeMethods.DataChunks.DuckDBCreateDataChunk(types.Select(t => t.DangerousGetHandle()).ToArray(), (ulong)columns);
                    var scratch = new Scratch();
                    for (var start = 0; start < chunk.Count; start += VectorSize)
                    {
                        var n = Math.Min(VectorSize, chunk.Count - start);
                        for (var c = 0; c < columns; c++)
                        {
                            Fill(NativeMethods.DataChunks.DuckDBDataChunkGetVector(data, c), sources[c], widths[c], chunk, start, n, scratch);
                        }

                        NativeMethods.DataChunks.DuckDBDataChunkSetSize(data, (ulong)n);
                        if (NativeMethods.Appender.DuckDBAppendDataChunk(appender, data) != DuckDBState.Success)
                        {
                            throw new InvalidOperationException($"cannot append to {table}: {Error(appender)}");
                        }

                        NativeMethods.DataChunks.DuckDBDataChunkReset(data);
                    }

                    if (NativeMethods.Appender.DuckDBAppenderClose(appender) != DuckDBState.Success)
                    {
                        throw new InvalidOperationException($"cannot append to {table}: {Error(appender)}");
                    }

                    return chunk.Count;
                }
                finally
                {
                    foreach (var t in types)
                    {
                        t?.Dispose();
                    }
                }
            }
        }

        private static string Error(DuckDB.NET.Native.DuckDBAppender appender)
        {
            using var error = NativeMethods.Appender.DuckDBAppenderErrorData(appender);
            return NativeMethods.ErrorData.DuckDBErrorDataHasError(error) ? NativeMethods.ErrorData.DuckDBErrorDataMessage(error) : "unknown error";
        }

        private sealed class Scratch
        {
            internal readonly long[] Validity = new long[VectorSize / 64];
            internal readonly long[] Longs = new long[VectorSize];
            internal readonly int[] Ints = new int[VectorSize];
            internal readonly short[] Shorts = new short[VectorSize];
            internal readonly byte[] Bytes = new byte[VectorSize * 16];
        }

        private static void Fill(IntPtr vector, Source source, int width, LeanChunk chunk, int start, int n, Scratch s)
        {
            var data = VectorData(vector);
            Array.Fill(s.Validity, -1L);
            var nulls = false;
            switch (source.Kind)
            {
                case Kind.Hash:
                    Marshal.Copy(chunk.Hash, 2 * start, data, 2 * n);
                    break;
                case Kind.Timestamp:
                    Marshal.Copy(chunk.Timestamps, start, data, n);
                    break;
                case Kind.ReceivedAt:
                    Marshal.Copy(chunk.ReceivedAt, start, data, n);
                    break;
                case Kind.Revenue:
                    Marshal.Copy(chunk.Revenue, start, data, n);
                    for (var r = 0; r < n; r++)
                    {
                        if (!chunk.HasRevenue[start + r])
                        {
                            nulls = Null(s.Validity, r);
                        }
                    }

                    break;
                case Kind.Number:
                    {
                        Marshal.Copy(chunk.Number, start, data, n);
                        var prefix = chunk.Enums[MessagePrefix];
                        for (var r = 0; r < n; r++)
                        {
                            if (prefix[start + r] < 0)
                            {
                                nulls = Null(s.Validity, r);
                            }
                        }

                        break;
                    }

                case Kind.Code:
                    {
                        var codes = chunk.Codes[source.Index];
                        Marshal.Copy(codes, start, data, n);
                        for (var r = 0; r < n; r++)
                        {
                            if (codes[start + r] < 0)
                            {
                                nulls = Null(s.Validity, r);
                            }
                        }

                        break;
                    }

                case Kind.Enum:
                    {
                        var codes = chunk.Enums[source.Index];
                        for (var r = 0; r < n; r++)
                        {
                            var code = codes[start + r];
                            if (code < 0)
                            {
                                nulls = Null(s.Validity, r);
                                code = 0;
                            }

                            s.Ints[r] = code;
                        }

                        switch (width)
                        {
                            case 1:
                                for (var r = 0; r < n; r++)
                                {
                                    s.Bytes[r] = (byte)s.Ints[r];
                                }

                                Marshal.Copy(s.Bytes, 0, data, n);
                                break;
                            case 2:
                                for (var r = 0; r < n; r++)
                                {
                                    s.Shorts[r] = (short)s.Ints[r];
                                }

                                Marshal.Copy(s.Shorts, 0, data, n);
                                break;
                            default:
                                Marshal.Copy(s.Ints, 0, data, n);
                                break;
                        }

                        break;
                    }

                default:
                    {
                        // DuckDB's 16-byte string_t: length, then ≤ 12 bytes inline; longer text through the C API.
                        var slots = chunk.Text[source.Index];
                        var bytes = s.Bytes;
                        Array.Clear(bytes, 0, n * 16);
                        var anyLong = false;
                        for (var r = 0; r < n; r++)
                        {
                            var slot = slots[start + r];
                            if (slot < 0)
                            {
                                nulls = Null(s.Validity, r);
                                continue;
                            }

                            var length = (int)(slot & 0xFFFF_FFFF);
                            if (length <= 12)
                            {
                                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(r * 16), (uint)length);
                                chunk.Arena.AsSpan((int)(slot >> 32), length).CopyTo(bytes.AsSpan((r * 16) + 4));
                            }
                            else
                            {
                                anyLong = true;
                            }
                        }

                        Marshal.Copy(bytes, 0, data, n * 16);
                        if (anyLong)
                        {
                            for (var r = 0; r < n; r++)
                            {
                                var slot = slots[start + r];
                                var length = (int)(slot & 0xFFFF_FFFF);
                                if (slot >= 0 && length > 12)
                                {
                                    AssignString(vector, (ulong)r, ref chunk.Arena[(int)(slot >> 32)], (ulong)length);
                                }
                            }
                        }

                        break;
                    }
            }

            if (nulls)
            {
                NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(vector);
                Marshal.Copy(s.Validity, 0, VectorValidity(vector), (n + 63) / 64);
            }
        }

        private static bool Null(long[] validity, int row)
        {
            validity[row >> 6] &= ~(1L << (row & 63));
            return true;
        }
    }

    // ============================================================================================
    // Read side
    // ============================================================================================

    private static readonly string[] Coded = ["event", "channel", "source", "medium", "campaign"];

    // DuckDbColumnReader's query, verbatim, against the real table.
    private static readonly string CurrentColumns = $"""
        SELECT hash(p), p, t, ty, {string.Join(", ", Coded.Select(c => "c_" + c))}, r, v
        FROM (SELECT coalesce(iu.person_id, ia.person_id, e.user_id, 'anon:' || e.anonymous_id, 'anon:' || e.previous_id) AS p,
                     epoch_us(e.timestamp) AS t, e.message_id AS m,
                     enum_code(e.type)::INTEGER AS ty,
                     {string.Join(", ", Coded.Select(c => $"coalesce(enum_code(e.{c})::INTEGER, -1) AS c_{c}"))},
                     e.rowid AS r, coalesce(e.revenue, 'NaN'::DOUBLE) AS v
              FROM events e
              LEFT JOIN identities iu ON iu.kind = 'user' AND iu.id = e.user_id
              LEFT JOIN identities ia ON ia.kind = 'anonymous' AND ia.id = e.anonymous_id)
        WHERE p IS NOT NULL
        ORDER BY 1, t, m
        """;

    private const string CurrentCount = "SELECT count(*) FROM events WHERE coalesce(user_id, anonymous_id, previous_id) IS NOT NULL";

    // The same against the lean tables (a view has no rowid, so the reader would go to events_lean itself):
    // ids decoded through the dictionary, identities joined on the decoded text, ties by message id text
    // (tieByHash: by the 128-bit hash instead, which needs no text).
    private static string LeanColumns(bool tieByHash) => $"""
        SELECT hash(p), p, t, ty, {string.Join(", ", Coded.Select(c => "c_" + c))}, r, v
        FROM (SELECT coalesce(iu.person_id, ia.person_id, u.id, 'anon:' || a.id, 'anon:' || pv.id) AS p,
                     epoch_us(e.timestamp) AS t,
                     {(tieByHash ? "e.message_hash" : "coalesce(e.message_text, e.message_prefix::VARCHAR || e.message_number::VARCHAR)")} AS m,
                     enum_code(e.type)::INTEGER AS ty,
                     {string.Join(", ", Coded.Select(c => $"coalesce(enum_code(e.{c})::INTEGER, -1) AS c_{c}"))},
                     e.rowid AS r, coalesce(e.revenue, 'NaN'::DOUBLE) AS v
              FROM events_lean e
              LEFT JOIN ids a ON a.code = e.anonymous_code
              LEFT JOIN ids u ON u.code = e.user_code
              LEFT JOIN ids pv ON pv.code = e.previous_code
              LEFT JOIN identities iu ON iu.kind = 'user' AND iu.id = u.id
              LEFT JOIN identities ia ON ia.kind = 'anonymous' AND ia.id = a.id)
        WHERE p IS NOT NULL
        ORDER BY 1, t, m
        """;

    private const string LeanCount = "SELECT count(*) FROM events_lean WHERE coalesce(user_code, anonymous_code, previous_code) IS NOT NULL";

    private static readonly (string Name, string Sql)[] AnalystQueries =
    [
        ("channel, count(*) group by 1", "SELECT channel, count(*) FROM events GROUP BY 1 ORDER BY channel::VARCHAR"),
        ("count(distinct anonymous_id)", "SELECT count(DISTINCT anonymous_id) FROM events"),
        ("count(distinct user_id) where purchase", "SELECT count(DISTINCT user_id), round(sum(revenue), 2) FROM events WHERE event = 'purchase'"),
        ("one visitor's events (anonymous_id = …)", "SELECT event, timestamp, channel, message_id FROM events WHERE anonymous_id = 'anon-4242' ORDER BY timestamp, message_id"),
        ("100 latest events, all columns", "SELECT * EXCLUDE (received_at) FROM events ORDER BY timestamp DESC, message_id LIMIT 100"),
        ("person_events: persons by channel", "SELECT channel, count(DISTINCT person_id) FROM person_events GROUP BY 1 ORDER BY channel::VARCHAR"),
        ("person_events: top 10 persons", "SELECT person_id, count(*) FROM person_events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"),
        ("persons view: count, avg events", "SELECT count(*), avg(events), max(len(anonymous_ids)) FROM persons"),
    ];

    private static int ReadSide(string currentDb, string leanDb, string leanVarcharDb)
    {
        // The lean stores get the persons view over their person_events (as the migration defines it).
        foreach (var db in new[] { leanDb, leanVarcharDb })
        {
            Exec(db, """
                CREATE OR REPLACE VIEW persons AS
                SELECT person_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen, count(*) AS events,
                       list_sort(list_distinct(list(user_id))) AS user_ids, list_sort(list_distinct(list(anonymous_id))) AS anonymous_ids
                FROM person_events GROUP BY person_id;
                CREATE OR REPLACE VIEW persons_list AS
                SELECT person_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen, count(*) AS events,
                       list_sort(list_distinct(list(user_id))) AS user_ids, list_sort(list_distinct(list(anonymous_id))) AS anonymous_ids
                FROM person_events_list GROUP BY person_id;
                """);
        }

        using var current = Open(currentDb);
        using var lean = Open(leanDb);
        using var leanVarchar = Open(leanVarcharDb);
        Console.WriteLine();
        Console.WriteLine($"READ, best of {Runs}, ms (lean = prefix+number variant unless noted; ratio = lean / current)   load {LoadAverage()}");
        Console.WriteLine($"{"query",-44} {"current",8} {"lean join",10} {"ratio",6} {"lean list",10} {"ratio",6} {"same?",6}");

        // (a) the analyses' column read.
        var (tc, rc) = BestOf(() => ReadColumns(current, CurrentCount, CurrentColumns));
        var (tl, rl) = BestOf(() => ReadColumns(lean, LeanCount, LeanColumns(tieByHash: false)));
        var (th, rh) = BestOf(() => ReadColumns(lean, LeanCount, LeanColumns(tieByHash: true)));
        Console.WriteLine($"{"column read (DuckDbColumnReader SQL + loop)",-44} {tc,8:F0} {tl,10:F0} {tl / tc,6:F2} {"",10} {"",6} {(rc == rl ? "yes" : "NO"),6}");
        Console.WriteLine($"{"  same, lean ties by hash not message text",-44} {tc,8:F0} {th,10:F0} {th / tc,6:F2} {"",10} {"",6} {(rc.Split('|')[0] == rh.Split('|')[0] ? "n/a" : "NO"),6}");
        Console.WriteLine($"    current: {rc}");
        Console.WriteLine($"    lean:    {rl}");

        // (b) analysts' SQL through the views.
        var failures = 0;
        foreach (var (name, sql) in AnalystQueries)
        {
            var (t0, r0) = BestOf(() => Query(current, sql));
            var (t1, r1) = BestOf(() => Query(lean, sql));
            var listSql = sql.Replace("FROM events ", "FROM events_list ", StringComparison.Ordinal)
                .Replace("FROM person_events ", "FROM person_events_list ", StringComparison.Ordinal)
                .Replace("FROM persons", "FROM persons_list", StringComparison.Ordinal);
            var (t2, r2) = BestOf(() => Query(lean, listSql));
            var same = r0 == r1 && r0 == r2;
            failures += same ? 0 : 1;
            Console.WriteLine($"{name,-44} {t0,8:F0} {t1,10:F0} {t1 / t0,6:F2} {t2,10:F0} {t2 / t0,6:F2} {(same ? "yes" : "NO"),6}");
            if (!same)
            {
                Console.WriteLine($"    current: {Short(r0)}\n    join:    {Short(r1)}\n    list:    {Short(r2)}");
            }
        }

        // The message-id-as-VARCHAR lean variant, for the queries that touch message_id.
        Console.WriteLine();
        Console.WriteLine($"{"lean with message_id VARCHAR in the row:",-44} {"current",8} {"lean join",10} {"ratio",6}");
        foreach (var (name, sql) in AnalystQueries.Where(q => q.Sql.Contains("message_id", StringComparison.Ordinal) || q.Sql.Contains('*', StringComparison.Ordinal)))
        {
            var (t0, r0) = BestOf(() => Query(current, sql));
            var (t1, r1) = BestOf(() => Query(leanVarchar, sql));
            Console.WriteLine($"{name,-44} {t0,8:F0} {t1,10:F0} {t1 / t0,6:F2} {(r0 == r1 ? "yes" : "NO"),6}");
        }

        return failures == 0 ? 0 : 1;
    }

    private static string Short(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private static DuckDBConnection Open(string db)
    {
        var c = new DuckDBConnection($"Data Source={db}");
        c.Open();
        return c;
    }

    private static (double Ms, string Result) BestOf(Func<string> run)
    {
        var best = double.MaxValue;
        var result = string.Empty;
        for (var i = 0; i < Runs; i++)
        {
            var sw = Stopwatch.StartNew();
            result = run();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        return (best, result);
    }

    // Every row, as text, in order (the queries order their rows).
    private static string Query(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var text = new StringBuilder();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetValue(i);
                text.Append(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString()).Append(i + 1 < reader.FieldCount ? ',' : ';');
            }
        }

        return text.ToString();
    }

    // As DuckDbColumnReader.Read does: the exact count, then every row into arrays, a person's text once.
    private static string ReadColumns(DuckDBConnection connection, string countSql, string sql)
    {
        int count;
        using (var counting = connection.CreateCommand())
        {
            counting.CommandText = countSql;
            count = checked((int)Convert.ToInt64(counting.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var people = new List<string>();
        var micros = new long[count];
        var types = new int[count];
        var codes = Coded.Select(_ => new int[count]).ToArray();
        var keys = new long[count];
        var revenue = new double[count];
        ulong previous = 0;
        var n = 0;
        while (reader.Read())
        {
            var hash = reader.GetFieldValue<ulong>(0);
            if (n == 0 || hash != previous)
            {
                people.Add(reader.GetString(1));
                previous = hash;
            }

            micros[n] = reader.GetInt64(2);
            types[n] = reader.GetInt32(3);
            for (var c = 0; c < codes.Length; c++)
            {
                codes[c][n] = reader.GetInt32(4 + c);
            }

            keys[n] = reader.GetInt64(4 + Coded.Length);
            revenue[n] = reader.GetDouble(5 + Coded.Length);
            n++;
        }

        // What must agree between layouts: rows, persons in the same (hash) order, and the sequence of times.
        long timeSum = 0;
        for (var i = 0; i < n; i++)
        {
            timeSum = unchecked((timeSum * 31) + micros[i]);
        }

        var personHash = people.Aggregate(17L, (h, p) => unchecked((h * 31) + p.GetHashCode(StringComparison.Ordinal)));
        return $"rows {n:N0}|persons {people.Count:N0}|person order {personHash:X}|time sequence {timeSum:X}";
    }

    private static void Exec(string db, string sql)
    {
        using var connection = Open(db);
        Execute(connection, sql);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void DeleteDb(string path)
    {
        File.Delete(path);
        File.Delete(path + ".wal");
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
