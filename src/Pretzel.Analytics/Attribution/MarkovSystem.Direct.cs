using Pretzel.Analytics.Graph;

namespace Pretzel.Analytics.Attribution;

// Every removal solved exactly from the factors of the unchanged chain.
internal sealed partial class MarkovSystem
{
    /// <summary>
    /// Writes each present channel's removal effect into <paramref name="effects"/> (the channels in parallel when
    /// <paramref name="parallel"/>), solved exactly as the general chain does
    /// (<see cref="Graph.MarkovChain.ConversionProbabilityWithout(string)"/>). The unchanged chain is factorised once
    /// (<see cref="AbsorbingSolver"/>: LU per strongly connected group of states) and solved,
    /// <c>x = (I − Q)⁻¹ r</c>. When the channel is in one state v (always at order 1), its removal changes one row, and
    /// with <c>u = (I − Q)⁻¹ e_v</c> the changed solution is <c>x − u x_v / u_v</c> (0 at v, and every other row still
    /// holds since <c>(I − Q) u</c> is 0 off v): <c>P₋c = x₀ − u₀ x_v / u_v</c>, one more solve with the factors.
    /// Otherwise the changed chain is factorised and solved again.
    /// </summary>
    internal void SolveDirect(double[] effects, bool parallel)
    {
        var solver = new AbsorbingSolver(Rows(_ => false));
        var x = solver.Solve(_r);
        var p = x[0];
        if (p <= 0)
        {
            return;
        }

        MarkovRemovalSolver.For(effects.Length, parallel, c =>
        {
            if (!Present[c])
            {
                return;
            }

            var states = StatesWith(c);
            double without;
            if (states.Count == 1)
            {
                var v = states[0];
                var unit = new double[x.Length];
                unit[v] = 1;
                var u = solver.Solve(unit);
                without = p - (u[0] * x[v] / u[v]);
            }
            else
            {
                var removed = new bool[x.Length];
                var r = (double[])_r.Clone();
                foreach (var s in states)
                {
                    removed[s] = true;
                    r[s] = 0;
                }

                without = new AbsorbingSolver(Rows(s => removed[s])).Solve(r)[0];
            }

            effects[c] = MarkovRemovalSolver.Effect(without, p);
        });
    }

    /// <summary>
    /// The transient rows for <see cref="AbsorbingSolver"/>, those of <paramref name="removed"/> states empty: transitions
    /// with weight in this chain only.
    /// </summary>
    private (int To, double P)[][] Rows(Func<int, bool> removed)
    {
        var start = _counts.EdgeStart;
        var target = _counts.EdgeTarget;
        var rows = new (int To, double P)[_counts.States][];
        for (var s = 0; s < rows.Length; s++)
        {
            if (removed(s))
            {
                rows[s] = [];
                continue;
            }

            var row = new List<(int To, double P)>(start[s + 1] - start[s]);
            for (var e = start[s]; e < start[s + 1]; e++)
            {
                if (_p[e] > 0)
                {
                    row.Add((target[e], _p[e]));
                }
            }

            rows[s] = [.. row];
        }

        return rows;
    }
}
