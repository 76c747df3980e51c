using BenchmarkDotNet.Attributes;
using Pretzel.Core.Events;
using Pretzel.Core.Identity;
using Pretzel.Ingest.Channels;
using Pretzel.Ingest.Identity;
using Pretzel.Ingest.Import;

namespace Pretzel.Bench.Micro;

/// <summary>
/// Hot paths of import, per event. Baseline: <see cref="DateTimeOffset.TryParse(string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>
/// on the same timestamp, the general-purpose parser the hand-written ISO path replaces.
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private const string Timestamp = "2025-03-14T09:26:53.589Z";
    private readonly RawRow _row = new();
    private EventRowBuilder _builder = null!;
    private Event _touch = null!;
    private IdentityLink[] _links = [];

    [GlobalSetup]
    public void Setup()
    {
        var columns = new string?[EventFields.Count];
        foreach (EventField f in Enum.GetValues<EventField>())
        {
            columns[(int)f] = EventFields.Name(f);
        }

        _builder = new EventRowBuilder(columns, new ImportLimits(), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        _touch = new Event
        {
            MessageId = "m1", Type = EventType.Page, Name = "pricing", Timestamp = DateTime.UnixEpoch, ReceivedAt = DateTime.UnixEpoch,
            AnonymousId = "a1", Source = "google", Medium = "cpc", Campaign = "brand",
        };
        var random = new Random(1);
        _links = Enumerable.Range(0, 100_000)
            .Select(i => new IdentityLink(new Identity(IdentityKind.Anonymous, "a" + i), new Identity(IdentityKind.User, "u" + random.Next(60_000))))
            .ToArray();
    }

    [Benchmark(Baseline = true)]
    public DateTimeOffset ParseTimestamp_Framework()
    {
        DateTimeOffset.TryParse(Timestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t);
        return t;
    }

    [Benchmark]
    public DateTime ParseTimestamp_Pretzel()
    {
        TimestampParser.TryParse(Timestamp, out var t);
        return t;
    }

    [Benchmark]
    public Event? BuildRow()
    {
        _row.Clear();
        _row[EventField.MessageId] = "msg-1";
        _row[EventField.Event] = "purchase";
        _row[EventField.Timestamp] = Timestamp;
        _row[EventField.AnonymousId] = "anon-1";
        _row[EventField.Source] = "google";
        _row[EventField.Medium] = "cpc";
        _row[EventField.Revenue] = "19.90";
        _row[EventField.Currency] = "EUR";
        _builder.TryBuild(_row, out var e, out _);
        return e;
    }

    [Benchmark]
    public Event NormalizeChannel() => ChannelRules.Default.Normalize(_touch);

    [Benchmark(OperationsPerInvoke = 100_000)]
    public int StitchIdentities_PerLink() => IdentityStitcher.Stitch(_links).Count;
}
