namespace Pretzel.Analytics.Graph;

/// <summary>
/// Yen's algorithm: the <c>k</c> cheapest simple paths from a source to a target in a directed graph with
/// non-negative edge weights, each found by Dijkstra from a spur node of the previous path with the root's nodes and
/// the already-used next edges removed. Equal costs are ordered by the paths' node sequences, so the answer does not
/// depend on the order candidates were found in.
/// </summary>
internal static class KShortestPaths
{
    internal static List<int[]> Yen(IReadOnlyList<(int To, double Weight)>[] graph, int source, int target, int k)
    {
        var result = new List<int[]>();
        var blockedNodes = new bool[graph.Length];
        var blockedEdges = new HashSet<(int, int)>();
        if (k <= 0 || Dijkstra(graph, source, target, blockedNodes, blockedEdges) is not { } first)
        {
            return result;
        }

        result.Add(first);
        var seen = new HashSet<string>(StringComparer.Ordinal) { Key(first) };
        var candidates = new List<(int[] Path, double Cost, string Key)>();
        while (result.Count < k)
        {
            var previous = result[^1];
            for (var i = 0; i < previous.Length - 1; i++)
            {
                blockedEdges.Clear();
                Array.Clear(blockedNodes);
                foreach (var path in result)
                {
                    if (path.Length > i + 1 && path.AsSpan(0, i + 1).SequenceEqual(previous.AsSpan(0, i + 1)))
                    {
                        blockedEdges.Add((path[i], path[i + 1]));
                    }
                }

                for (var j = 0; j < i; j++)
                {
                    blockedNodes[previous[j]] = true;
                }

                if (Dijkstra(graph, previous[i], target, blockedNodes, blockedEdges) is not { } spur)
                {
                    continue;
                }

                int[] total = [.. previous.AsSpan(0, i), .. spur];
                var key = Key(total);
                if (seen.Add(key))
                {
                    candidates.Add((total, Cost(graph, total), key));
                }
            }

            if (candidates.Count == 0)
            {
                break;
            }

            var best = 0;
            for (var c = 1; c < candidates.Count; c++)
            {
                if (candidates[c].Cost < candidates[best].Cost
                    || (candidates[c].Cost.Equals(candidates[best].Cost) && string.CompareOrdinal(candidates[c].Key, candidates[best].Key) < 0))
                {
                    best = c;
                }
            }

            result.Add(candidates[best].Path);
            candidates.RemoveAt(best);
        }

        return result;
    }

    /// <summary>The cheapest path avoiding the blocked nodes and edges, or null when the target cannot be reached.</summary>
    internal static int[]? Dijkstra(IReadOnlyList<(int To, double Weight)>[] graph, int source, int target, bool[] blockedNodes, HashSet<(int, int)> blockedEdges)
    {
        var distance = new double[graph.Length];
        Array.Fill(distance, double.PositiveInfinity);
        var previous = new int[graph.Length];
        Array.Fill(previous, -1);
        var done = new bool[graph.Length];
        var queue = new PriorityQueue<int, double>();
        distance[source] = 0;
        queue.Enqueue(source, 0);
        while (queue.TryDequeue(out var u, out var d))
        {
            if (done[u])
            {
                continue;
            }

            done[u] = true;
            if (u == target)
            {
                break;
            }

            foreach (var (v, w) in graph[u])
            {
                if (done[v] || blockedNodes[v] || blockedEdges.Contains((u, v)))
                {
                    continue;
                }

                if (d + w < distance[v])
                {
                    distance[v] = d + w;
                    previous[v] = u;
                    queue.Enqueue(v, d + w);
                }
            }
        }

        if (!done[target])
        {
            return null;
        }

        var path = new List<int>();
        for (var v = target; v != -1; v = previous[v])
        {
            path.Add(v);
        }

        path.Reverse();
        return [.. path];
    }

    private static double Cost(IReadOnlyList<(int To, double Weight)>[] graph, int[] path)
    {
        var cost = 0.0;
        for (var i = 0; i + 1 < path.Length; i++)
        {
            foreach (var (to, weight) in graph[path[i]])
            {
                if (to == path[i + 1])
                {
                    cost += weight;
                    break;
                }
            }
        }

        return cost;
    }

    private static string Key(int[] path) => string.Join(',', path);
}
