using Pretzel.Core.Events;
using Pretzel.Ingest.Identity;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Ingest.Tests.Identity;

/// <summary><see cref="IdentityStitcher.RebuildAsync"/> against the DuckDB store: people resolve in <c>person_events</c>.</summary>
public sealed class IdentityStitcherRebuildTests : IDisposable
{
    private static readonly DateTime T0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly DuckDbEventStore _store = DuckDbEventStore.Open(":memory:");

    public void Dispose() => _store.Dispose();

    private static Event E(string id, int minute, string? anonymousId = null, string? userId = null, EventType type = EventType.Track, string? previousId = null) => new()
    {
        MessageId = id,
        Type = type,
        Name = type == EventType.Track ? "page_view" : null,
        Timestamp = T0.AddMinutes(minute),
        ReceivedAt = T0.AddMinutes(minute),
        AnonymousId = anonymousId,
        UserId = userId,
        PreviousId = previousId,
    };

    private async Task<Dictionary<string, string>> People()
    {
        var rows = await _store.QueryAsync("select message_id, person_id from person_events");
        return rows.Rows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
    }

    private async Task<List<object?[]>> EventRows() =>
        (await _store.QueryAsync("select * from events order by message_id")).Rows.ToList();

    [Fact]
    public async Task RebuildAsync_LateIdentify_ReattributesEarlierAnonymousEventsWithoutChangingEvents()
    {
        await _store.AppendAsync([E("1", 0, anonymousId: "cookie-1"), E("2", 5, anonymousId: "cookie-1"), E("3", 6, anonymousId: "cookie-2")]);
        await IdentityStitcher.RebuildAsync(_store);
        Assert.Equal(new Dictionary<string, string> { ["1"] = "anon:cookie-1", ["2"] = "anon:cookie-1", ["3"] = "anon:cookie-2" }, await People());

        await _store.AppendAsync([E("4", 60, anonymousId: "cookie-1", userId: "alice", type: EventType.Identify), E("5", 61, userId: "alice")]);
        var eventsBefore = await EventRows();
        var assigned = await IdentityStitcher.RebuildAsync(_store);

        Assert.Equal(2, assigned);
        Assert.Equal(
            new Dictionary<string, string> { ["1"] = "alice", ["2"] = "alice", ["3"] = "anon:cookie-2", ["4"] = "alice", ["5"] = "alice" },
            await People());
        Assert.Equal(eventsBefore, await EventRows());
    }

    [Fact]
    public async Task RebuildAsync_Alias_MergesTwoUserIdsUnderTheSmallest()
    {
        await _store.AppendAsync(
        [
            E("1", 0, userId: "crm-77"),
            E("2", 1, userId: "app-5"),
            E("3", 2, anonymousId: "web-1", userId: "app-5"),
            E("4", 3, anonymousId: "web-1"),
            E("5", 4, userId: "app-5", previousId: "crm-77", type: EventType.Alias),
            E("6", 5, userId: "someone-else"),
        ]);

        await IdentityStitcher.RebuildAsync(_store);

        var people = await People();
        Assert.All(new[] { "1", "2", "3", "4", "5" }, id => Assert.Equal("app-5", people[id]));
        Assert.Equal("someone-else", people["6"]);
        var persons = await _store.QueryAsync("select person_id, events from persons order by person_id");
        Assert.Equal([["app-5", 5L], ["someone-else", 1L]], persons.Rows);
    }

    // Segment's alias often carries the anonymous id as previousId: that id must not become a user id
    // (and so the person's name) just because it sits in previous_id.
    [Fact]
    public async Task RebuildAsync_AliasFromAnAnonymousId_PersonIsNamedAfterTheUserId()
    {
        await _store.AppendAsync(
        [
            E("1", 0, anonymousId: "a-17"),
            E("2", 1, userId: "u-9", previousId: "a-17", type: EventType.Alias),
            E("3", 2, userId: "u-9"),
        ]);

        await IdentityStitcher.RebuildAsync(_store);

        Assert.Equal(new Dictionary<string, string> { ["1"] = "u-9", ["2"] = "u-9", ["3"] = "u-9" }, await People());
        var persons = await _store.QueryAsync("select person_id from persons");
        Assert.Equal("u-9", Assert.Single(persons.Rows)[0]);
    }

    [Fact]
    public async Task RebuildAsync_TwoDevicesIdentifiedAsOneUser_MergeIntoOnePerson()
    {
        await _store.AppendAsync(
        [
            E("phone-1", 0, anonymousId: "phone"),
            E("laptop-1", 1, anonymousId: "laptop"),
            E("phone-id", 2, anonymousId: "phone", userId: "bob", type: EventType.Identify),
            E("laptop-2", 3, anonymousId: "laptop"),
            E("laptop-id", 4, anonymousId: "laptop", userId: "bob", type: EventType.Identify),
            E("stranger", 5, anonymousId: "tablet"),
        ]);

        await IdentityStitcher.RebuildAsync(_store);

        var people = await People();
        Assert.All(new[] { "phone-1", "laptop-1", "phone-id", "laptop-2", "laptop-id" }, id => Assert.Equal("bob", people[id]));
        Assert.Equal("anon:tablet", people["stranger"]);
        var persons = await _store.QueryAsync("select count(distinct person_id) from person_events");
        Assert.Equal(2L, persons.Rows[0][0]);
    }

    [Fact]
    public async Task RebuildAsync_RunTwice_GivesTheSameMap()
    {
        await _store.AppendAsync([E("1", 0, anonymousId: "a", userId: "u"), E("2", 1, anonymousId: "b", userId: "u")]);

        await IdentityStitcher.RebuildAsync(_store);
        var first = (await _store.QueryAsync("select * from identities order by kind, id")).Rows.ToList();
        await IdentityStitcher.RebuildAsync(_store);
        var second = (await _store.QueryAsync("select * from identities order by kind, id")).Rows.ToList();

        Assert.Equal(first, second);
        Assert.Equal(
            [["anonymous", "a", "u"], ["anonymous", "b", "u"], ["user", "u", "u"]],
            second);
    }
}
