using System.Text.RegularExpressions;

namespace Pretzel.Ingest.Channels;

/// <summary>
/// One condition on one field: either a regular expression (searched, so anchor it with <c>^…$</c> for a
/// whole-value match) or a list of exact values. Both ignore case. A missing value is matched as "".
/// </summary>
internal sealed class ValueMatcher
{
    internal const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // User patterns run on untrusted event data; a pathological pattern must not stall ingest.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly Regex? _regex;
    private readonly HashSet<string>? _values;

    private ValueMatcher(Regex? regex, HashSet<string>? values)
    {
        _regex = regex;
        _values = values;
    }

    /// <summary>The pattern, or the values joined by <c>|</c>, for messages and docs.</summary>
    public string Description => _regex?.ToString() ?? string.Join("|", _values!);

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when it is invalid.</summary>
    public static ValueMatcher Pattern(string pattern) => new(new Regex(pattern, Options, MatchTimeout), null);

    /// <summary>Matches any of <paramref name="values"/> exactly (ignoring case).</summary>
    public static ValueMatcher OneOf(params IEnumerable<string> values) =>
        new(null, new HashSet<string>(values, StringComparer.OrdinalIgnoreCase));

    public bool IsMatch(string? value)
    {
        if (_values is not null)
            return value is not null && _values.Contains(value);
        try
        {
            return _regex!.IsMatch(value ?? string.Empty);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
