using System.Numerics;

namespace Pretzel.Analytics.Graph;

/// <summary>
/// Solves <c>(I − Q) y = b</c> for the transient part <c>Q</c> of an absorbing Markov chain, given as sparse rows
/// of transient successors (edges into absorbing states are not in <c>Q</c>). The states are split into strongly
/// connected components (Tarjan), which come out sinks first, so each component is solved once everything
/// downstream of it is known: a lone state directly (its self-loop divided out), a component of up to
/// <see cref="DenseLimit"/> states by a dense LU factorisation with partial pivoting (exact up to rounding; factorised
/// once in the constructor and reused by every <see cref="Solve"/>), a larger one by Gauss–Seidel sweeps until no
/// value moves by more than <see cref="Tolerance"/> (relative to its size, at least 1) or after <see cref="MaxSweeps"/>
/// sweeps. Gauss–Seidel converges because every state of an absorbing chain leaks out of its component, so
/// <c>I − Q</c> restricted to it is a nonsingular M-matrix.
/// </summary>
internal sealed class AbsorbingSolver
{
    /// <summary>Largest component solved densely (about 2.7e9 multiply-adds to factorise at the limit).</summary>
    internal const int DefaultDenseLimit = 2000;

    internal const double Tolerance = 1e-12;
    internal const int MaxSweeps = 100_000;

    private readonly int _n;
    private readonly List<Component> _components = [];

    internal AbsorbingSolver(IReadOnlyList<(int To, double P)[]> rows, int denseLimit = DefaultDenseLimit)
    {
        _n = rows.Count;
        DenseLimit = denseLimit;
        var componentOf = new int[_n];
        var local = new int[_n];
        foreach (var members in StronglyConnectedComponents(rows))
        {
            var id = _components.Count;
            for (var k = 0; k < members.Length; k++)
            {
                componentOf[members[k]] = id;
                local[members[k]] = k;
            }

            _components.Add(new Component(members));
        }

        foreach (var component in _components)
        {
            var id = componentOf[component.Members[0]];
            var m = component.Members.Length;
            var inside = new List<(int Local, double P)>[m];
            for (var k = 0; k < m; k++)
            {
                inside[k] = [];
                var external = new List<(int To, double P)>();
                foreach (var (to, p) in rows[component.Members[k]])
                {
                    if (componentOf[to] != id)
                    {
                        external.Add((to, p));
                    }
                    else if (to == component.Members[k])
                    {
                        component.SelfLoop[k] += p;
                    }
                    else
                    {
                        inside[k].Add((local[to], p));
                    }
                }

                component.External[k] = [.. external];
                component.Inside[k] = [.. inside[k]];
            }

            if (m > 1 && m <= denseLimit)
            {
                component.Factorise();
            }
        }
    }

    /// <summary>Components of more states than this are solved by Gauss–Seidel instead of densely.</summary>
    internal int DenseLimit { get; }

    /// <summary>Whether some component was too large to solve densely.</summary>
    internal bool Iterative => _components.Exists(c => c.Members.Length > 1 && c.Lu is null);

    /// <summary>The <c>y</c> with <c>(I − Q) y = b</c>.</summary>
    internal double[] Solve(ReadOnlySpan<double> b)
    {
        if (b.Length != _n)
        {
            throw new ArgumentException($"Expected {_n} values, got {b.Length}.", nameof(b));
        }

        var y = new double[_n];
        foreach (var component in _components)
        {
            var members = component.Members;
            var m = members.Length;
            var rhs = new double[m];
            for (var k = 0; k < m; k++)
            {
                var sum = b[members[k]];
                foreach (var (to, p) in component.External[k])
                {
                    sum += p * y[to];
                }

                rhs[k] = sum;
            }

            if (m == 1)
            {
                y[members[0]] = rhs[0] / (1 - component.SelfLoop[0]);
            }
            else if (component.Lu is not null)
            {
                component.SolveDense(rhs);
                for (var k = 0; k < m; k++)
                {
                    y[members[k]] = rhs[k];
                }
            }
            else
            {
                var z = component.GaussSeidel(rhs);
                for (var k = 0; k < m; k++)
                {
                    y[members[k]] = z[k];
                }
            }
        }

        return y;
    }

    /// <summary>Tarjan's algorithm without recursion; components come out sinks first (reverse topological order).</summary>
    private static List<int[]> StronglyConnectedComponents(IReadOnlyList<(int To, double P)[]> rows)
    {
        var n = rows.Count;
        var index = new int[n];
        Array.Fill(index, -1);
        var low = new int[n];
        var onStack = new bool[n];
        var stack = new Stack<int>();
        var calls = new Stack<(int State, int Edge)>();
        var components = new List<int[]>();
        var next = 0;
        for (var root = 0; root < n; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            Visit(root);
            while (calls.Count > 0)
            {
                var (v, edge) = calls.Pop();
                var row = rows[v];
                if (edge < row.Length)
                {
                    calls.Push((v, edge + 1));
                    var w = row[edge].To;
                    if (index[w] < 0)
                    {
                        Visit(w);
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }

                    continue;
                }

                if (calls.Count > 0)
                {
                    var parent = calls.Peek().State;
                    low[parent] = Math.Min(low[parent], low[v]);
                }

                if (low[v] == index[v])
                {
                    var members = new List<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        members.Add(w);
                    }
                    while (w != v);

                    members.Sort();
                    components.Add([.. members]);
                }
            }
        }

        return components;

        void Visit(int v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack[v] = true;
            calls.Push((v, 0));
        }
    }

    private sealed class Component(int[] members)
    {
        public int[] Members { get; } = members;

        public double[] SelfLoop { get; } = new double[members.Length];

        /// <summary>Edges to states of components solved before this one.</summary>
        public (int To, double P)[][] External { get; } = new (int, double)[members.Length][];

        /// <summary>Edges to other states of this component, by their place in <see cref="Members"/>.</summary>
        public (int Local, double P)[][] Inside { get; } = new (int, double)[members.Length][];

        /// <summary>Row-major LU factors of <c>I − Q</c> on this component (unit lower triangle implicit), or null.</summary>
        public double[]? Lu { get; private set; }

        private int[] _pivots = [];

        public void Factorise()
        {
            var m = Members.Length;
            var a = new double[m * m];
            for (var k = 0; k < m; k++)
            {
                a[(k * m) + k] = 1 - SelfLoop[k];
                foreach (var (l, p) in Inside[k])
                {
                    a[(k * m) + l] -= p;
                }
            }

            _pivots = new int[m];
            for (var col = 0; col < m; col++)
            {
                var pivot = col;
                for (var r = col + 1; r < m; r++)
                {
                    if (Math.Abs(a[(r * m) + col]) > Math.Abs(a[(pivot * m) + col]))
                    {
                        pivot = r;
                    }
                }

                _pivots[col] = pivot;
                if (pivot != col)
                {
                    for (var c = 0; c < m; c++)
                    {
                        (a[(pivot * m) + c], a[(col * m) + c]) = (a[(col * m) + c], a[(pivot * m) + c]);
                    }
                }

                var diagonal = a[(col * m) + col];
                if (diagonal == 0)
                {
                    throw new InvalidOperationException("The chain has a closed set of states that never reaches an absorbing state.");
                }

                var pivotRow = a.AsSpan((col * m) + col + 1, m - col - 1);
                for (var r = col + 1; r < m; r++)
                {
                    var factor = a[(r * m) + col] / diagonal;
                    if (factor == 0)
                    {
                        continue;
                    }

                    a[(r * m) + col] = factor;
                    AddScaled(a.AsSpan((r * m) + col + 1, m - col - 1), pivotRow, -factor);
                }
            }

            Lu = a;
        }

        /// <summary>Solves in place with the factors.</summary>
        public void SolveDense(double[] rhs)
        {
            var a = Lu!;
            var m = Members.Length;
            for (var col = 0; col < m; col++)
            {
                if (_pivots[col] != col)
                {
                    (rhs[col], rhs[_pivots[col]]) = (rhs[_pivots[col]], rhs[col]);
                }
            }

            for (var r = 1; r < m; r++)
            {
                rhs[r] -= Dot(a.AsSpan(r * m, r), rhs.AsSpan(0, r));
            }

            for (var r = m - 1; r >= 0; r--)
            {
                var rest = m - r - 1;
                rhs[r] = (rhs[r] - Dot(a.AsSpan((r * m) + r + 1, rest), rhs.AsSpan(r + 1, rest))) / a[(r * m) + r];
            }
        }

        public double[] GaussSeidel(double[] rhs)
        {
            var m = Members.Length;
            var z = new double[m];
            for (var sweep = 0; sweep < MaxSweeps; sweep++)
            {
                var moved = false;
                for (var k = 0; k < m; k++)
                {
                    var sum = rhs[k];
                    foreach (var (l, p) in Inside[k])
                    {
                        sum += p * z[l];
                    }

                    var value = sum / (1 - SelfLoop[k]);
                    if (Math.Abs(value - z[k]) > Tolerance * Math.Max(1, Math.Abs(value)))
                    {
                        moved = true;
                    }

                    z[k] = value;
                }

                if (!moved)
                {
                    break;
                }
            }

            return z;
        }
    }

    private static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var f = new Vector<double>(factor);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (new Vector<double>(target[i..]) + (new Vector<double>(source[i..]) * f)).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += factor * source[i];
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                acc += new Vector<double>(x[i..]) * new Vector<double>(y[i..]);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
