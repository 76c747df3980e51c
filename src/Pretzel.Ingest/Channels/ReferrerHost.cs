namespace Pretzel.Ingest.Channels;

/// <summary>Reads the host out of a referrer URL without building a <see cref="Uri"/> (this runs once per untagged event).</summary>
internal static class ReferrerHost
{
    /// <summary>
    /// The referrer's host, lower-cased, without <c>www.</c>, user info or port; null when the referrer is empty
    /// or has no plausible host. Accepts URLs without a scheme (<c>google.com/search</c>) and app referrers
    /// (<c>android-app://com.google.android.gm/</c>).
    /// </summary>
    public static string? Of(string? referrer)
    {
        if (referrer is null)
            return null;
        var rest = referrer.AsSpan().Trim();
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            rest = rest[(scheme + 3)..];
        else if (rest.StartsWith("//"))
            rest = rest[2..];

        int end = rest.IndexOfAny('/', '?', '#');
        var authority = end >= 0 ? rest[..end] : rest;
        int at = authority.LastIndexOf('@');
        if (at >= 0)
            authority = authority[(at + 1)..];
        int colon = authority.IndexOf(':');
        var host = colon >= 0 ? authority[..colon] : authority;
        host = host.TrimEnd('.');
        if (host.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            host = host[4..];
        if (host.IsEmpty || !IsPlausibleHost(host))
            return null;
        return MarketingFields.CleanLower(host.ToString());
    }

    // Letters (any script, for internationalised names), digits, '-', '_' and '.', with at least one dot or
    // the name "localhost": "not a url" or "(direct)" are not referrers.
    private static bool IsPlausibleHost(ReadOnlySpan<char> host)
    {
        bool dot = false;
        foreach (char c in host)
        {
            if (c == '.')
                dot = true;
            else if (!char.IsLetterOrDigit(c) && c != '-' && c != '_')
                return false;
        }
        return dot || host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
    }
}
