using Pretzel.Core.Storage;
using static Pretzel.Storage.DuckDb.Tests.TestEvents;

namespace Pretzel.Storage.DuckDb.Tests;

/// <summary>A view of some people of a store: their events only, conditions evaluated by the store and narrowed to them, no writes.</summary>
public sealed class PeopleSubsetStoreTests
{
    [Fact]
    public async Task The_view_holds_the_chosen_peoples_events_and_their_bits_of_a_store_condition()
    {
        using var store = DuckDbEventStore.Open(":memory:");
        var events = new[] { "a", "b", "c", "d" }.SelectMany((person, p) => Enumerable.Range(0, p + 2)
            .Select(i => Track($"{person}-{i}", i % 2 == 0 ? "buy" : "view", anonymousId: person, minutes: (p * 10) + i))).ToList();
        await store.AppendAsync(events);
        var all = await store.ReadEventColumnsAsync();
        int[] chosen = [.. Enumerable.Range(0, all.PersonCount).Where(p => all.PersonIds[p] is "anon:b" or "anon:d" or "b" or "d")];
        Assert.Equal(2, chosen.Length);

        using var view = new PeopleSubsetStore(store, all, chosen);
        var columns = await view.ReadEventColumnsAsync();
        Assert.Equal(chosen.Select(p => all.PersonIds[p]), columns.PersonIds);
        Assert.Equal(chosen.Sum(p => all.PersonStart[p + 1] - all.PersonStart[p]), columns.Count);
        for (var i = 0; i < columns.PersonCount; i++)
        {
            var p = chosen[i];
            Assert.Equal(all.Micros[all.PersonStart[p]..all.PersonStart[p + 1]], columns.Micros[columns.PersonStart[i]..columns.PersonStart[i + 1]]);
        }

        var whole = await store.MatchEventsAsync(all, "event = 'buy'");
        var bits = await view.MatchEventsAsync(columns, "event = 'buy'");
        var expected = chosen.SelectMany(p => Enumerable.Range(all.PersonStart[p], all.PersonStart[p + 1] - all.PersonStart[p])).Select(e => whole[e]).ToList();
        Assert.Equal(expected, bits.Cast<bool>());
        Assert.Contains(true, expected);
        Assert.Contains(false, expected);

        Assert.Throws<InvalidOperationException>(() => view.OpenWriter());
        await Assert.ThrowsAsync<ArgumentException>(() => view.MatchEventsAsync(all, "event = 'buy'"));
    }
}
