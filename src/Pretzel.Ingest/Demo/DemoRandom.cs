namespace Pretzel.Ingest.Demo;

/// <summary>
/// xoshiro256** seeded through SplitMix64 from a 64-bit key, re-seeded once per person from
/// (seed, person). Not <see cref="System.Random"/>: its seeded constructor takes 31 bits, so among a
/// million people ~230 pairs would share a seed and live identical lives; this one takes 64 bits,
/// costs nothing to re-seed and gives the same numbers on every runtime.
/// </summary>
internal sealed class DemoRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DemoRandom(ulong key) => Reset(key);

    /// <summary>Restarts the sequence from <paramref name="key"/>.</summary>
    public void Reset(ulong key)
    {
        var x = key;
        _s0 = Mix(ref x);
        _s1 = Mix(ref x);
        _s2 = Mix(ref x);
        _s3 = Mix(ref x);
    }

    /// <summary>A well-mixed 64-bit function of <paramref name="z"/> (SplitMix64's finaliser).</summary>
    public static ulong Hash(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Mix(ref ulong x)
    {
        var z = Hash(x);
        x += 0x9E3779B97F4A7C15UL;
        return z;
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public long Between(long min, long max) => min + (long)(NextDouble() * (max - min));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>How many of up to <paramref name="max"/> successive chances of <paramref name="p"/> succeed before the first failure.</summary>
    public int Extra(double p, int max)
    {
        var n = 0;
        while (n < max && NextDouble() < p)
        {
            n++;
        }

        return n;
    }
}
