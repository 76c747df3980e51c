namespace Pretzel.Ingest.Channels;

/// <summary>
/// Named lists of sites (<c>search</c>, <c>social</c>, <c>video</c>, <c>shopping</c>, or any name a project
/// adds). An entry with a dot is a domain and matches that host and its subdomains
/// (<c>t.co</c>, <c>m.facebook.com</c> under <c>facebook.com</c>); an entry without a dot is a brand and matches a
/// source spelled exactly so (<c>google</c>, <c>fb</c>) or a host whose registrable name is that brand
/// (<c>google.co.uk</c>, <c>news.google.com</c>). Matching ignores case.
/// </summary>
internal sealed class SourceCategories
{
    // Second-level labels under which a country registers names: in google.co.uk the brand is "google", not "co".
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SecondLevelLabels =
        new HashSet<string>(["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "gob", "gv"], StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly Dictionary<string, Category> _categories;

    private SourceCategories(Dictionary<string, Category> categories) => _categories = categories;

    public static SourceCategories Default { get; } = Create(DefaultChannelRules.SourceCategories);

    public IEnumerable<string> Names => _categories.Keys;

    public static SourceCategories Create(IReadOnlyDictionary<string, IReadOnlyList<string>> sites)
    {
        var categories = new Dictionary<string, Category>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, entries) in sites)
            categories[name] = new Category(entries);
        return new SourceCategories(categories);
    }

    /// <summary>These categories plus <paramref name="extra"/> sites (merged into existing or new categories).</summary>
    public SourceCategories With(IReadOnlyDictionary<string, IReadOnlyList<string>> extra)
    {
        var merged = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, category) in _categories)
            merged[name] = [.. category.Entries];
        foreach (var (name, entries) in extra)
            merged[name] = merged.TryGetValue(name, out var existing) ? [.. existing, .. entries] : entries;
        return Create(merged);
    }

    public bool IsDefined(string category) => _categories.ContainsKey(category);

    public bool Contains(string category, string? source) =>
        source is not null && _categories.TryGetValue(category, out var sites) && sites.Contains(source);

    /// <summary>Lower-cases and trims an entry and strips <c>www.</c>; null when nothing is left.</summary>
    public static string? CleanEntry(string entry)
    {
        var cleaned = entry.Trim().ToLowerInvariant();
        if (cleaned.StartsWith("www.", StringComparison.Ordinal))
            cleaned = cleaned[4..];
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>The registrable name of a host: <c>google</c> for <c>news.google.co.uk</c>; null without a dot.</summary>
    internal static ReadOnlySpan<char> BrandOf(ReadOnlySpan<char> host)
    {
        int last = host.LastIndexOf('.');
        if (last <= 0)
            return [];
        var rest = host[..last];
        int second = rest.LastIndexOf('.');
        var label = rest[(second + 1)..];
        if (second > 0 && SecondLevelLabels.Contains(label))
        {
            rest = rest[..second];
            label = rest[(rest.LastIndexOf('.') + 1)..];
        }
        return label;
    }

    private sealed class Category
    {
        private readonly HashSet<string> _domains = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _brands = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _domainLookup;
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _brandLookup;

        public Category(IEnumerable<string> entries)
        {
            foreach (var entry in entries)
            {
                var cleaned = CleanEntry(entry);
                if (cleaned is null)
                    continue;
                Entries.Add(cleaned);
                (cleaned.Contains('.') ? _domains : _brands).Add(cleaned);
            }
            _domainLookup = _domains.GetAlternateLookup<ReadOnlySpan<char>>();
            _brandLookup = _brands.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public List<string> Entries { get; } = [];

        public bool Contains(string source)
        {
            if (_brands.Contains(source))
                return true;
            ReadOnlySpan<char> host = source;
            if (host.StartsWith("www."))
                host = host[4..];
            for (var suffix = host; ; )
            {
                if (_domainLookup.Contains(suffix))
                    return true;
                int dot = suffix.IndexOf('.');
                if (dot < 0)
                    break;
                suffix = suffix[(dot + 1)..];
            }
            var brand = BrandOf(host);
            return !brand.IsEmpty && _brandLookup.Contains(brand);
        }
    }
}
