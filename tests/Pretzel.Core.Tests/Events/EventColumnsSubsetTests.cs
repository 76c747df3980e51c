using CsCheck;
using Pretzel.Core.Events;

namespace Pretzel.Core.Tests.Events;

/// <summary><see cref="EventColumns.Subset(IReadOnlyList{int}, long, out int[])"/> against a plain filter of (person, event) pairs.</summary>
public sealed class EventColumnsSubsetTests
{
    [Fact]
    public void Subset_from_a_start_keeps_exactly_the_chosen_peoples_events_at_or_after_it()
    {
        var gen =
            from people in Gen.Int[0, 12]
            from lengths in Gen.Int[0, 6].Array[people]
            from times in Gen.Long[0, 50].Array[lengths.Sum()]
            from chosen in Gen.Bool.Array[people]
            from since in Gen.Long[-5, 55]
            select (lengths, times, chosen, since);
        gen.Sample(t =>
        {
            var (lengths, times, chosen, since) = t;
            var columns = Build(lengths, times);
            var people = Enumerable.Range(0, lengths.Length).Where(p => chosen[p]).ToList();
            var subset = columns.Subset(people, since, out var index);

            var expected = people
                .SelectMany(p => Enumerable.Range(columns.PersonStart[p], lengths[p]).Where(e => columns.Micros[e] >= since).Select(e => (p, e)))
                .ToList();
            Assert.Equal(expected.Select(x => x.e), index);
            Assert.Equal(expected.Select(x => columns.PersonIds[x.p]).Distinct(), subset.PersonIds);
            Assert.Equal(expected.Select(x => columns.Micros[x.e]), subset.Micros);
            Assert.Equal(expected.Select(x => columns.Channel[x.e]), Enumerable.Range(0, subset.Count).Select(e => subset.Channel[e]));
            for (var p = 0; p < subset.PersonCount; p++)
            {
                Assert.All(Enumerable.Range(subset.PersonStart[p], subset.PersonStart[p + 1] - subset.PersonStart[p]),
                    e => Assert.Equal(subset.PersonIds[p], columns.PersonIds[expected[e].p]));
            }
        });
    }

    [Fact]
    public void Subset_without_a_start_keeps_people_without_events()
    {
        var columns = Build([0, 2], [3, 4]);
        var subset = columns.Subset([0, 1], out var index);
        Assert.Equal(["p0", "p1"], subset.PersonIds);
        Assert.Equal([0, 1], index);
        Assert.Equal([0, 0, 2], subset.PersonStart);
        Assert.Equal(["p1"], columns.Subset([0, 1], 0, out _).PersonIds);
        Assert.Throws<ArgumentException>(() => columns.Subset([1, 0], out _));
    }

    private static EventColumns Build(int[] lengths, long[] times)
    {
        var start = new int[lengths.Length + 1];
        for (var p = 0; p < lengths.Length; p++)
        {
            start[p + 1] = start[p] + lengths[p];
            Array.Sort(times, start[p], lengths[p]);
        }

        var n = times.Length;
        var channels = new CodedColumn([.. Enumerable.Range(0, n).Select(i => i % 3)], ["a", "b", "c"]);
        CodedColumn None() => new(new int[n], ["x"]);
        return new EventColumns([.. Enumerable.Range(0, lengths.Length).Select(p => $"p{p}")], start, times, new byte[n],
            None(), channels, None(), None(), None(), new double[n], [.. Enumerable.Range(0, n).Select(i => (long)i)]);
    }
}
