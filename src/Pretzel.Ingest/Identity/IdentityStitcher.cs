using Pretzel.Core.Identity;
using Pretzel.Core.Storage;

namespace Pretzel.Ingest.Identity;

/// <summary>
/// Merges anonymous ids and user ids into persons: every link (identify, alias, or an event carrying
/// both ids) joins two ids, and the connected groups are the persons (union-find). The person id of a
/// group is its smallest user id (ordinal), or <c>anon:</c> + its smallest anonymous id when no user
/// id is known, so the result does not depend on the order the links arrive in.
/// </summary>
public static class IdentityStitcher
{
    /// <summary>
    /// Whether storing <paramref name="e"/> can change the identity map. An id that no link joins resolves
    /// to itself without the map, so only events with a user id can: they may join two ids, or make an
    /// alias's earlier id count as a user id. Events known only by an anonymous id never change it.
    /// </summary>
    public static bool CarriesLink(Core.Events.Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.UserId is not null || e.PreviousId is not null;
    }

    /// <summary>The identity-map rows for every id that appears in <paramref name="links"/>.</summary>
    public static IReadOnlyList<PersonAssignment> Stitch(IEnumerable<IdentityLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var index = new Dictionary<Core.Identity.Identity, int>();
        var ids = new List<Core.Identity.Identity>();
        var parent = new List<int>();
        var size = new List<int>();

        int Node(Core.Identity.Identity id)
        {
            if (!index.TryGetValue(id, out var n))
            {
                n = ids.Count;
                index.Add(id, n);
                ids.Add(id);
                parent.Add(n);
                size.Add(1);
            }

            return n;
        }

        int Find(int x)
        {
            var root = x;
            while (parent[root] != root)
            {
                root = parent[root];
            }

            while (parent[x] != root)
            {
                var next = parent[x];
                parent[x] = root;
                x = next;
            }

            return root;
        }

        foreach (var link in links)
        {
            var a = Find(Node(link.A));
            var b = Find(Node(link.B));
            if (a == b)
            {
                continue;
            }

            if (size[a] < size[b])
            {
                (a, b) = (b, a);
            }

            parent[b] = a;
            size[a] += size[b];
        }

        var best = new Dictionary<int, Core.Identity.Identity>();
        for (var i = 0; i < ids.Count; i++)
        {
            var root = Find(i);
            if (!best.TryGetValue(root, out var current) || Better(ids[i], current))
            {
                best[root] = ids[i];
            }
        }

        var result = new PersonAssignment[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            result[i] = new PersonAssignment(ids[i], PersonId(best[Find(i)]));
        }

        return result;
    }

    /// <summary>The person id an unlinked id resolves to (its own user id, or <c>anon:</c> + anonymous id).</summary>
    public static string PersonId(Core.Identity.Identity canonical) =>
        canonical.Kind == IdentityKind.User ? canonical.Id : "anon:" + canonical.Id;

    private static bool Better(Core.Identity.Identity candidate, Core.Identity.Identity current)
    {
        if (candidate.Kind != current.Kind)
        {
            return candidate.Kind == IdentityKind.User;
        }

        return string.CompareOrdinal(candidate.Id, current.Id) < 0;
    }

    /// <summary>Recomputes the store's identity map from every link in its events.</summary>
    public static async Task<int> RebuildAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var links = await store.ReadIdentityLinksAsync(cancellationToken).ConfigureAwait(false);
        var map = Stitch(links);
        await store.ReplaceIdentityMapAsync((IReadOnlyCollection<PersonAssignment>)map, cancellationToken).ConfigureAwait(false);
        return map.Count;
    }
}
