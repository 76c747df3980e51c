using System.Diagnostics;
using Pretzel.Ingest.Demo;

namespace Pretzel.Ingest.Tests.Demo;

public sealed class DemoGeneratorDeterminismTests
{
    [Fact]
    public void Generate_SameOptions_GivesIdenticalEvents()
    {
        var options = new DemoOptions { People = 2_000, Seed = 42 };
        var first = new DemoGenerator(options).Generate().ToList();
        var second = new DemoGenerator(options with { }).Generate().ToList();
        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_EnumeratedTwice_GivesIdenticalEvents()
    {
        var generator = new DemoGenerator(new DemoOptions { People = 500, Seed = 7 });
        Assert.Equal(generator.Generate().ToList(), generator.Generate().ToList());
    }

    [Fact]
    public void Generate_InterleavedEnumerations_DoNotInterfere()
    {
        var generator = new DemoGenerator(new DemoOptions { People = 300, Seed = 3 });
        var expected = generator.Generate().ToList();
        using var a = generator.Generate().GetEnumerator();
        using var b = generator.Generate().GetEnumerator();
        var fromA = new List<Pretzel.Core.Events.Event>();
        var fromB = new List<Pretzel.Core.Events.Event>();
        bool moreA = true, moreB = true;
        while (moreA || moreB)
        {
            if (moreA && (moreA = a.MoveNext()))
            {
                fromA.Add(a.Current);
            }

            for (var i = 0; i < 3 && moreB; i++)
            {
                if (moreB = b.MoveNext())
                {
                    fromB.Add(b.Current);
                }
            }
        }

        Assert.Equal(expected, fromA);
        Assert.Equal(expected, fromB);
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentEvents()
    {
        var one = new DemoGenerator(new DemoOptions { People = 500, Seed = 1 }).Generate().ToList();
        var two = new DemoGenerator(new DemoOptions { People = 500, Seed = 2 }).Generate().ToList();
        Assert.NotEqual(one.Select(e => (e.Timestamp, e.Name)), two.Select(e => (e.Timestamp, e.Name)));
        Assert.Empty(one.Select(e => e.MessageId).Intersect(two.Select(e => e.MessageId)));
    }

    [Fact]
    public void Generate_MorePeople_StartsWithTheSamePeople()
    {
        // A person's life depends only on (seed, person), so a larger run extends a smaller one.
        var small = new DemoGenerator(new DemoOptions { People = 300 }).Generate().ToList();
        var large = new DemoGenerator(new DemoOptions { People = 600 }).Generate().Take(small.Count).ToList();
        Assert.Equal(small, large);
    }

    [Fact]
    public void Generate_TenMillionPeople_StreamsWithoutGeneratingEveryoneFirst()
    {
        var watch = Stopwatch.StartNew();
        var first = new DemoGenerator(new DemoOptions { People = DemoOptions.MaxPeople }).Generate().Take(1_000).ToList();
        Assert.Equal(1_000, first.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Generate_MessageIds_FollowTheDocumentedPattern()
    {
        var events = new DemoGenerator(new DemoOptions { People = 20, Seed = 9 }).Generate().ToList();
        Assert.Equal("demo-9-0-0", events[0].MessageId);
        Assert.All(events, e => Assert.Matches(@"^demo-9-\d+-\d+$", e.MessageId));
    }
}
