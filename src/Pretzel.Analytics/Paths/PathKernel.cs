using System.Collections.Concurrent;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Paths;

/// <summary>
/// The path table over person-sorted <see cref="EventColumns"/>: the embedded engine's fast path,
/// answering exactly as <see cref="PathReference"/>. Touches are integer codes (the columns' own, or a
/// pair code for <c>channel:event</c>), a path is a sequence of codes hashed into per-thread tables
/// that are merged at the end; labels are attached only to the distinct paths.
/// </summary>
public static class PathKernel
{
    private const int PeoplePerRange = 4096;

    public static PathResult Compute(EventColumns columns, PathOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var context = new Context(columns, options);
        var tables = new ConcurrentBag<Worker>();
        var ranges = Enumerable.Range(0, (columns.PersonCount + PeoplePerRange - 1) / PeoplePerRange)
            .Select(r => (r * PeoplePerRange, Math.Min(columns.PersonCount, (r + 1) * PeoplePerRange)));
        Parallel.ForEach(ranges, () => new Worker(context), (range, _, worker) =>
        {
            for (var p = range.Item1; p < range.Item2; p++)
            {
                worker.Person(p);
            }

            return worker;
        }, tables.Add);

        var merged = new Dictionary<int[], PathSummary>(SequenceComparer.Instance);
        long people = 0, journeys = 0;
        foreach (var worker in tables)
        {
            people += worker.People;
            journeys += worker.Journeys;
            foreach (var (key, summary) in worker.Paths)
            {
                if (merged.TryGetValue(key, out var into))
                {
                    into.Add(summary);
                }
                else
                {
                    merged[key] = summary;
                }
            }
        }

        var labels = new Dictionary<int, string>();
        var result = merged.Select(kv =>
        {
            var touches = new string[kv.Key.Length];
            for (var i = 0; i < touches.Length; i++)
            {
                var code = kv.Key[i];
                if (!labels.TryGetValue(code, out var label))
                {
                    labels[code] = label = context.Label(code);
                }

                touches[i] = label;
            }

            var named = new PathSummary(touches);
            named.Add(kv.Value);
            return named;
        }).ToArray();
        Array.Sort(result, (a, b) => TouchOrder.Instance.Compare(a.Touches, b.Touches));
        return new PathResult(result, people, journeys);
    }

    /// <summary>What every thread shares: the columns, the rules as lookup tables, the touch codes.</summary>
    private sealed class Context
    {
        internal Context(EventColumns columns, PathOptions options)
        {
            Columns = columns;
            Options = options;
            To = EventTime.ToMicros(options.To);
            Lookback = options.Lookback.Ticks / 10;
            IsConversion = new bool[columns.Event.Labels.Length + 1];
            foreach (var name in options.ConversionEvents)
            {
                var code = columns.Event.CodeOf(name);
                if (code >= 0)
                {
                    IsConversion[code + 1] = true;
                }
            }

            EventCount = columns.Event.Labels.Length;
            CampaignCount = columns.Campaign.Labels.Length + 1;
        }

        internal EventColumns Columns { get; }

        internal PathOptions Options { get; }

        internal long To { get; }

        internal long Lookback { get; }

        /// <summary>By event code + 1: whether the event is a conversion.</summary>
        internal bool[] IsConversion { get; }

        private int EventCount { get; }

        private int CampaignCount { get; }

        /// <summary>The touch code of event i, or -1 when it is not a touch.</summary>
        internal int Touch(int i)
        {
            var c = Columns;
            return Options.Touch switch
            {
                TouchKind.Channel => c.Channel.Codes[i],
                TouchKind.Campaign => c.Campaign.Codes[i],
                TouchKind.Event => c.Event.Codes[i],
                TouchKind.ChannelCampaign => c.Channel.Codes[i] < 0 ? -1 : (c.Channel.Codes[i] * CampaignCount) + c.Campaign.Codes[i] + 1,
                _ => c.Event.Codes[i] < 0 ? -1 : ((c.Channel.Codes[i] + 1) * EventCount) + c.Event.Codes[i],
            };
        }

        internal string Label(int code) => Options.Touch switch
        {
            TouchKind.Channel => Columns.Channel.Labels[code],
            TouchKind.Campaign => Columns.Campaign.Labels[code],
            TouchKind.Event => Columns.Event.Labels[code],
            TouchKind.ChannelCampaign => Columns.Channel.Labels[code / CampaignCount] + ":" + (code % CampaignCount == 0 ? "(none)" : Columns.Campaign.Labels[(code % CampaignCount) - 1]),
            _ => (code / EventCount == 0 ? "(none)" : Columns.Channel.Labels[(code / EventCount) - 1]) + ":" + Columns.Event.Labels[code % EventCount],
        };
    }

    private sealed class Worker
    {
        private readonly Context _context;
        private readonly List<int> _touches = [];
        private readonly List<long> _times = [];
        private readonly List<int[]> _seen = [];
        private readonly Dictionary<int[], PathSummary>.AlternateLookup<ReadOnlySpan<int>> _lookup;
        private int[] _kept = new int[64];

        internal Worker(Context context)
        {
            _context = context;
            _lookup = Paths.GetAlternateLookup<ReadOnlySpan<int>>();
        }

        internal Dictionary<int[], PathSummary> Paths { get; } = new(SequenceComparer.Instance);

        internal long People { get; private set; }

        internal long Journeys { get; private set; }

        internal void Person(int p)
        {
            var c = _context.Columns;
            var micros = c.Micros;
            var events = c.Event.Codes;
            _touches.Clear();
            _times.Clear();
            _seen.Clear();
            var any = false;
            for (var i = c.PersonStart[p]; i < c.PersonStart[p + 1] && micros[i] <= _context.To; i++)
            {
                if (_context.IsConversion[events[i] + 1])
                {
                    var revenue = c.Revenue[i];
                    Close(true, micros[i], double.IsNaN(revenue) ? 0 : revenue);
                    any = true;
                    _touches.Clear();
                    _times.Clear();
                    continue;
                }

                var touch = _context.Touch(i);
                if (touch >= 0)
                {
                    _touches.Add(touch);
                    _times.Add(micros[i]);
                }
            }

            if (_touches.Count > 0)
            {
                Close(false, _times[^1], 0);
                any = true;
            }

            if (any)
            {
                People++;
            }
        }

        private void Close(bool converted, long end, double value)
        {
            // The touches within the lookback: a suffix, since times only grow.
            var from = 0;
            while (from < _times.Count && _times[from] < end - _context.Lookback)
            {
                from++;
            }

            if (_kept.Length < _touches.Count)
            {
                _kept = new int[_touches.Count * 2];
            }

            var count = 0;
            var firstTime = from < _times.Count ? _times[from] : 0;
            for (var i = from; i < _touches.Count; i++)
            {
                if (!_context.Options.Collapse || count == 0 || _kept[count - 1] != _touches[i])
                {
                    _kept[count++] = _touches[i];
                }
            }

            var key = _kept.AsSpan(0, count);
            if (_context.Options.MaxLength is { } max && count > max)
            {
                key = key[^max..];
            }

            if (!_lookup.TryGetValue(key, out var summary))
            {
                summary = new PathSummary([]);
                _lookup[key] = summary;
            }

            summary.Journeys++;
            if (converted)
            {
                summary.Conversions++;
                summary.Value += value;
                if (!key.IsEmpty)
                {
                    summary.DaysToConvert.Add((end - firstTime) / 86_400_000_000.0);
                }
            }

            // People per path: a person's earlier journeys' paths, compared without allocating.
            var seen = false;
            foreach (var earlier in _seen)
            {
                if (key.SequenceEqual(earlier))
                {
                    seen = true;
                    break;
                }
            }

            if (!seen)
            {
                _seen.Add(key.ToArray());
                summary.People++;
            }

            Journeys++;
        }
    }

    private sealed class SequenceComparer : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
    {
        internal static readonly SequenceComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<int> alternate) => Hash(alternate);

        public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<int> values)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
            return hash.ToHashCode();
        }
    }
}
