using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pretzel.Server.Dashboard;

/// <summary>
/// Dashboard sign-ins: an opaque random token (the session cookie's value) maps to the read key it was
/// made from, held in memory only. The key is checked against the registry again on every request, so
/// a project removed from <c>projects.json</c> locks its sessions out; a restart signs everyone out.
/// </summary>
internal sealed class DashboardSessions(TimeProvider time)
{
    /// <summary>The session cookie's name.</summary>
    internal const string CookieName = "pretzel_session";

    /// <summary>How long a sign-in lasts (fixed from sign-in, not sliding).</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    // A cap so that a flood of sign-ins cannot grow memory without bound; the oldest go first.
    private const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session for <paramref name="readKey"/> (already checked); the token for the cookie.</summary>
    internal string Start(string readKey)
    {
        var now = time.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            foreach (var (token, _) in _sessions.Where(s => s.Value.Expires <= now).ToList())
            {
                _sessions.TryRemove(token, out _);
            }

            foreach (var (token, _) in _sessions.OrderBy(s => s.Value.Expires).Take(Math.Max(0, _sessions.Count - MaxSessions + 1)).ToList())
            {
                _sessions.TryRemove(token, out _);
            }
        }

        var created = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _sessions[created] = new Session(readKey, now + Lifetime);
        return created;
    }

    /// <summary>The read key of session <paramref name="token"/>, or null when there is no such live session.</summary>
    internal string? ReadKey(string? token)
    {
        if (string.IsNullOrEmpty(token) || !_sessions.TryGetValue(token, out var session))
        {
            return null;
        }

        if (session.Expires <= time.GetUtcNow())
        {
            _sessions.TryRemove(token, out _);
            return null;
        }

        return session.ReadKey;
    }

    /// <summary>Ends session <paramref name="token"/> (nothing happens for an unknown one).</summary>
    internal void End(string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            _sessions.TryRemove(token, out _);
        }
    }

    private sealed record Session(string ReadKey, DateTimeOffset Expires);
}
