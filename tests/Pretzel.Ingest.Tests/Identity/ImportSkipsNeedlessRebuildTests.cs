using CsCheck;
using Pretzel.Core.Events;
using Pretzel.Ingest.Identity;
using Pretzel.Ingest.Import;
using Pretzel.Ingest.Projects;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Ingest.Tests.Identity;

/// <summary>
/// Import rebuilds the identity map only when the new events can change it (they carry a user id or a
/// previous id). Checked against a reference that rebuilds after every import, on random batches.
/// </summary>
public sealed class ImportSkipsNeedlessRebuildTests
{
    private static readonly DateTime T0 = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Gen<Event> GenEvent =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4], Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Int[0, 9])
            .Select((kind, a, u, minute, shape) =>
            {
                string? anonymous = shape < 6 ? "a" + a : null;
                string? user = shape >= 4 ? "u" + u : null;
                var alias = kind == 0 && shape >= 6;
                return new Event
                {
                    MessageId = Guid.NewGuid().ToString("N"),
                    Type = alias ? EventType.Alias : EventType.Track,
                    Name = alias ? null : "view",
                    Timestamp = T0.AddMinutes(minute),
                    ReceivedAt = T0,
                    AnonymousId = alias ? null : anonymous,
                    UserId = user ?? (alias ? "u" + u : null) ?? (anonymous is null ? "u" + u : null),
                    // An alias's earlier id is sometimes an anonymous id, sometimes a user id.
                    PreviousId = alias ? (a % 2 == 0 ? "a" + a : "u" + a) : null,
                };
            });

    private static async Task<string[]> People(DuckDbEventStore store) =>
        [.. (await store.QueryAsync("select message_id || '=' || person_id from person_events order by 1")).Rows.Select(r => (string)r[0]!)];

    [Fact]
    public void Skipping_the_rebuild_never_changes_who_an_event_belongs_to()
    {
        GenEvent.Array[1, 12].Array[1, 4].Sample(batches =>
        {
            using var fast = DuckDbEventStore.Open(":memory:");
            using var reference = DuckDbEventStore.Open(":memory:");
            var importer = new EventImporter(fast, ProjectSettings.Default, TimeProvider.System);
            var referenceImporter = new EventImporter(reference, ProjectSettings.Default, TimeProvider.System);
            foreach (var batch in batches)
            {
                importer.ImportEventsAsync(batch, "batch").GetAwaiter().GetResult();
                referenceImporter.ImportEventsAsync(batch, "batch").GetAwaiter().GetResult();
                IdentityStitcher.RebuildAsync(reference).GetAwaiter().GetResult();
                Assert.Equal(People(reference).GetAwaiter().GetResult(), People(fast).GetAwaiter().GetResult());
            }
        }, iter: 20);
    }

    [Fact]
    public void Only_events_with_a_user_id_or_previous_id_can_change_the_map()
    {
        Assert.False(IdentityStitcher.CarriesLink(new Event { MessageId = "1", Timestamp = T0, ReceivedAt = T0, AnonymousId = "a", Name = "x" }));
        Assert.True(IdentityStitcher.CarriesLink(new Event { MessageId = "2", Timestamp = T0, ReceivedAt = T0, UserId = "u", Name = "x" }));
        Assert.True(IdentityStitcher.CarriesLink(new Event { MessageId = "3", Timestamp = T0, ReceivedAt = T0, UserId = "u", PreviousId = "p", Type = EventType.Alias }));
    }
}
