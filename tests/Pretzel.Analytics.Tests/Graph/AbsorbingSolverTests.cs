using CsCheck;
using Pretzel.Analytics.Graph;

namespace Pretzel.Analytics.Tests.Graph;

/// <summary>The component-wise solver, dense and Gauss–Seidel, against a direct dense solve and against each other.</summary>
public sealed class AbsorbingSolverTests
{
    // Random substochastic rows that leak: each state keeps at most 0.97 of its mass among transient states.
    private static readonly Gen<(int To, double P)[][]> GenRows =
        Gen.Int[1, 40].SelectMany(n => Gen.Select(Gen.Int[0, n - 1], Gen.Double[0.01, 1]).Array[0, 5].Array[n]
            .Select(rows => rows.Select(row =>
            {
                var total = row.Sum(e => e.Item2);
                return row.GroupBy(e => e.Item1).Select(g => (To: g.Key, P: g.Sum(e => e.Item2) / total * 0.97)).ToArray();
            }).ToArray()));

    [Fact]
    public void Dense_and_iterative_solutions_match_a_direct_solve()
    {
        Gen.Select(GenRows, Gen.Double[-1, 1].Array[40]).Sample((rows, values) =>
        {
            var n = rows.Length;
            var b = values.Take(n).ToArray();
            var expected = Direct(rows, b);
            foreach (var denseLimit in new[] { AbsorbingSolver.DefaultDenseLimit, 0, 3 })
            {
                var actual = new AbsorbingSolver(rows, denseLimit).Solve(b);
                for (var i = 0; i < n; i++)
                {
                    Assert.Equal(expected[i], actual[i], 1e-9);
                }
            }
        }, iter: 200);
    }

    [Fact]
    public void A_large_ring_is_solved_the_same_both_ways()
    {
        // 3,000 states in one component, each going on round the ring with 0.9 and converting with 0.05.
        const int n = 3000;
        var rows = Enumerable.Range(0, n).Select(i => new[] { ((i + 1) % n, 0.9) }).ToArray();
        var b = Enumerable.Repeat(0.05, n).ToArray();
        var iterative = new AbsorbingSolver(rows);
        Assert.True(iterative.Iterative);
        var x = iterative.Solve(b);
        Assert.All(x, v => Assert.Equal(0.05 / (1 - 0.9), v, 1e-9));
        Assert.False(new AbsorbingSolver(rows, n).Iterative);
    }

    [Fact]
    public void A_chain_without_transient_edges_is_its_right_hand_side()
    {
        var solver = new AbsorbingSolver([[], [], []]);
        Assert.Equal([0.5, 0.25, 1], solver.Solve([0.5, 0.25, 1]));
        Assert.Throws<ArgumentException>(() => solver.Solve([1.0]));
    }

    private static double[] Direct((int To, double P)[][] rows, double[] b)
    {
        var n = rows.Length;
        var a = new double[n, n + 1];
        for (var i = 0; i < n; i++)
        {
            a[i, i] = 1;
            foreach (var (to, p) in rows[i])
            {
                a[i, to] -= p;
            }

            a[i, n] = b[i];
        }

        // Gauss–Jordan; I − Q is strictly diagonally dominant here, so no pivoting is needed.
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                if (i == k)
                {
                    continue;
                }

                var f = a[i, k] / a[k, k];
                for (var j = k; j <= n; j++)
                {
                    a[i, j] -= f * a[k, j];
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i])];
    }
}
