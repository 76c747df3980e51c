using System.Security.Cryptography;
using System.Text;

namespace Pretzel.Server.Projects;

/// <summary>What a key allows: sending events (write) or running queries (read).</summary>
public enum KeyKind
{
    Write,
    Read,
}

/// <summary>
/// API keys: 32 random bytes in URL-safe base64 behind a prefix that says what the key is for
/// (<c>pzw_</c> write, <c>pzr_</c> read). Only a SHA-256 of each key is stored: the keys are random, so a
/// fast hash is as safe as a slow one, and lookups stay cheap on every request.
/// </summary>
public static class ApiKey
{
    /// <summary>Prefix of write keys.</summary>
    public const string WritePrefix = "pzw_";

    /// <summary>Prefix of read keys.</summary>
    public const string ReadPrefix = "pzr_";

    /// <summary>A new random key of the given kind.</summary>
    public static string Create(KeyKind kind)
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var text = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (kind == KeyKind.Write ? WritePrefix : ReadPrefix) + text;
    }

    /// <summary>The stored form of a key: lower-case hex SHA-256 of its UTF-8 text.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
