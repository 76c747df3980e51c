using CsCheck;
using Pretzel.Core.Identity;
using Pretzel.Ingest.Identity;
using CoreIdentity = Pretzel.Core.Identity.Identity;

namespace Pretzel.Ingest.Tests.Identity;

public sealed class IdentityStitcherTests
{
    private static CoreIdentity U(string id) => new(IdentityKind.User, id);

    private static CoreIdentity A(string id) => new(IdentityKind.Anonymous, id);

    private static IdentityLink L(CoreIdentity a, CoreIdentity b) => new(a, b);

    private static Dictionary<CoreIdentity, string> Map(IEnumerable<IdentityLink> links) =>
        IdentityStitcher.Stitch(links).ToDictionary(a => a.Identity, a => a.PersonId);

    [Fact]
    public void Stitch_NoLinks_ReturnsNothing()
    {
        Assert.Empty(IdentityStitcher.Stitch([]));
    }

    [Fact]
    public void Stitch_AnonymousLinkedToUser_BothResolveToTheUserId()
    {
        var map = Map([L(A("a1"), U("u1"))]);

        Assert.Equal(new Dictionary<CoreIdentity, string> { [A("a1")] = "u1", [U("u1")] = "u1" }, map);
    }

    [Fact]
    public void Stitch_TwoUsersInOneGroup_SmallestUserIdOrdinalWins()
    {
        var map = Map([L(A("a"), U("b-user")), L(A("a"), U("B-user")), L(U("b-user"), U("c"))]);

        Assert.All(map.Values, p => Assert.Equal("B-user", p));
        Assert.Equal(4, map.Count);
    }

    [Fact]
    public void Stitch_OnlyAnonymousIds_PersonIsAnonPlusSmallestAnonymousId()
    {
        var map = Map([L(A("d2"), A("d10")), L(A("d10"), A("d3"))]);

        Assert.All(map.Values, p => Assert.Equal("anon:d10", p));
    }

    [Fact]
    public void Stitch_UserIdBeatsSmallerAnonymousId()
    {
        var map = Map([L(A("000"), U("zzz"))]);

        Assert.Equal("zzz", map[A("000")]);
    }

    [Fact]
    public void Stitch_SameIdAsUserAndAnonymous_AreDifferentNodes()
    {
        var map = Map([L(A("x"), U("u1")), L(U("x"), U("u2"))]);

        Assert.Equal("u1", map[A("x")]);
        Assert.Equal("u2", map[U("x")]);
    }

    [Fact]
    public void Stitch_ChainOfLinks_MergesTransitively()
    {
        // Two devices of one person: each identified, and a third device linked only through an alias.
        var map = Map([L(A("phone"), U("u9")), L(A("laptop"), U("u9")), L(U("u9"), U("u10")), L(A("tablet"), U("u10")), L(A("other"), U("u7"))]);

        Assert.Equal("u10", map[A("phone")]);
        Assert.Equal("u10", map[A("tablet")]);
        Assert.Equal("u10", map[U("u9")]);
        Assert.Equal("u7", map[A("other")]);
    }

    [Fact]
    public void PersonId_OfUnlinkedIds_IsUserIdOrAnonPrefixed()
    {
        Assert.Equal("u1", IdentityStitcher.PersonId(U("u1")));
        Assert.Equal("anon:a1", IdentityStitcher.PersonId(A("a1")));
    }

    private static readonly Gen<CoreIdentity> AnyId = Gen.Select(
        Gen.Bool,
        Gen.Int[0, 30],
        (user, n) => user ? U("u" + n) : A(n % 3 == 0 ? "A" + n : "a" + n));

    private static readonly Gen<IdentityLink[]> AnyLinks = Gen.Select(AnyId, AnyId, (a, b) => new IdentityLink(a, b)).Array[0, 60];

    [Fact]
    public void Stitch_RandomLinks_MatchesBreadthFirstReference()
    {
        AnyLinks.Sample(links =>
        {
            var expected = Reference(links);
            var actual = IdentityStitcher.Stitch(links);

            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(actual.Count, actual.Select(a => a.Identity).Distinct().Count());
            foreach (var a in actual)
            {
                Assert.Equal(expected[a.Identity], a.PersonId);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Stitch_ShuffledAndFlippedLinks_GiveTheSameAssignments()
    {
        var gen = AnyLinks.SelectMany(links => Gen.Shuffle(links.ToArray()).Select(Gen.Bool.Array[links.Length], (shuffled, flips) => (links, shuffled, flips)));
        gen.Sample(t =>
        {
            var (links, shuffled, flips) = t;
            var reordered = shuffled.Select((l, i) => flips[i] ? new IdentityLink(l.B, l.A) : l).ToArray();

            var original = IdentityStitcher.Stitch(links).ToHashSet();
            var other = IdentityStitcher.Stitch(reordered).ToHashSet();

            Assert.True(original.SetEquals(other));
        }, iter: 5_000);
    }

    /// <summary>
    /// The plain version: build an adjacency list and walk each component breadth first; the person id is
    /// the component's smallest user id, else <c>anon:</c> + its smallest anonymous id (ordinal).
    /// </summary>
    private static Dictionary<CoreIdentity, string> Reference(IEnumerable<IdentityLink> links)
    {
        var adjacency = new Dictionary<CoreIdentity, List<CoreIdentity>>();
        foreach (var link in links)
        {
            Neighbours(link.A).Add(link.B);
            Neighbours(link.B).Add(link.A);
        }

        var person = new Dictionary<CoreIdentity, string>();
        foreach (var start in adjacency.Keys)
        {
            if (person.ContainsKey(start))
            {
                continue;
            }

            var component = new List<CoreIdentity> { start };
            var seen = new HashSet<CoreIdentity> { start };
            var queue = new Queue<CoreIdentity>([start]);
            while (queue.TryDequeue(out var id))
            {
                foreach (var next in adjacency[id])
                {
                    if (seen.Add(next))
                    {
                        component.Add(next);
                        queue.Enqueue(next);
                    }
                }
            }

            var users = component.Where(i => i.Kind == IdentityKind.User).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
            var name = users.Count > 0
                ? users[0]
                : "anon:" + component.Select(i => i.Id).Order(StringComparer.Ordinal).First();
            foreach (var id in component)
            {
                person[id] = name;
            }
        }

        return person;

        List<CoreIdentity> Neighbours(CoreIdentity id)
        {
            if (!adjacency.TryGetValue(id, out var list))
            {
                list = [];
                adjacency[id] = list;
            }

            return list;
        }
    }
}
