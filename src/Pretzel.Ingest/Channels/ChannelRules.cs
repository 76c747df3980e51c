using Pretzel.Core.Events;

namespace Pretzel.Ingest.Channels;

/// <summary>
/// Turns UTM parameters and referrers into a normalised channel, modelled on GA4's default channel
/// grouping plus offline channels. Ordered rules: the first that matches wins.
/// Thread-safe; one instance serves a whole import.
/// </summary>
public sealed class ChannelRules
{
    private const string Organic = "organic";
    private const string Social = "social";
    private const string Referral = "referral";

    private readonly ClassificationCache _cache = new(ClassificationCache.DefaultCapacity);
    private readonly Func<string?, string?, string?, string> _classify;

    internal ChannelRules(IReadOnlyList<ChannelRule> rules, SourceCategories categories)
    {
        Rules = rules;
        Categories = categories;
        _classify = ClassifyUncached;
    }

    /// <summary>The built-in rules.</summary>
    public static ChannelRules Default { get; } = new(DefaultChannelRules.Rules, SourceCategories.Default);

    /// <summary>The rules in the order they are tried.</summary>
    internal IReadOnlyList<ChannelRule> Rules { get; }

    internal SourceCategories Categories { get; }

    /// <summary>
    /// Rules of a project: <paramref name="customRules"/> before the defaults (or instead of them when
    /// <paramref name="replaceDefaults"/>), and the default source categories plus <paramref name="extraSites"/>.
    /// </summary>
    internal static ChannelRules Create(
        IReadOnlyList<ChannelRule> customRules,
        bool replaceDefaults,
        IReadOnlyDictionary<string, IReadOnlyList<string>> extraSites)
    {
        if (customRules.Count == 0 && !replaceDefaults && extraSites.Count == 0)
            return Default;
        IReadOnlyList<ChannelRule> rules = replaceDefaults ? customRules : [.. customRules, .. DefaultChannelRules.Rules];
        var categories = extraSites.Count == 0 ? SourceCategories.Default : SourceCategories.Default.With(extraSites);
        return new ChannelRules(rules, categories);
    }

    /// <summary>
    /// The channel of the first rule that matches, or <c>unassigned</c>. Expects normalised values
    /// (source and medium lower case); matching ignores case anyway.
    /// </summary>
    public string Classify(string? source, string? medium, string? campaign) =>
        _cache.GetOrAdd(source, medium, campaign, _classify);

    /// <summary>
    /// Fills <c>source</c>, <c>medium</c>, <c>campaign</c>, <c>content</c>, <c>term</c> (from the event's own
    /// fields, or utm_* properties, or the referrer) and sets <c>channel</c>. An explicit channel on the
    /// input is kept (normalised to snake_case). Returns <paramref name="input"/> itself when nothing changes.
    /// Never throws on malformed properties or referrers: what cannot be read is ignored.
    /// </summary>
    public Event Normalize(Event input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Type is EventType.Identify or EventType.Alias or EventType.Group && input.Channel is null)
        {
            // Who someone is, not how they came: not a touch, so no channel.
            return input;
        }

        var fields = new MarketingFields
        {
            Source = MarketingFields.CleanLower(input.Source),
            Medium = MarketingFields.CleanLower(input.Medium),
            Campaign = MarketingFields.Clean(input.Campaign),
            Content = MarketingFields.Clean(input.Content),
            Term = MarketingFields.Clean(input.Term),
        };
        if (!fields.IsComplete && MarketingFields.MayCarryMarketingKeys(input.Properties))
            fields.ReadProperties(input.Properties!);
        fields.ApplyClickIds();
        if (fields.Source is null && fields.Medium is null && fields.Campaign is null && fields.UrlHost is not null
            && (ReferrerHost.Of(input.Referrer) ?? ReferrerHost.Of(fields.ReferrerProperty)) == fields.UrlHost
            && input.Channel is null)
        {
            // The referrer is the site itself: a click from one page to the next, not a new arrival.
            return input;
        }

        if (fields.Source is null)
            FromReferrer(ref fields, input.Referrer, input.Type is EventType.Page or EventType.Screen);

        // A track event with no marketing information at all (a purchase recorded by the back end, an
        // in-app action) says nothing about how the person came: no channel, rather than "direct".
        var untagged = fields.Source is null && fields.Medium is null && fields.Campaign is null;
        var channel = ChannelNames.Normalize(input.Channel) ?? (untagged ? null : Classify(fields.Source, fields.Medium, fields.Campaign));

        if (ReferenceEquals(channel, input.Channel)
            && ReferenceEquals(fields.Source, input.Source)
            && ReferenceEquals(fields.Medium, input.Medium)
            && ReferenceEquals(fields.Campaign, input.Campaign)
            && ReferenceEquals(fields.Content, input.Content)
            && ReferenceEquals(fields.Term, input.Term))
        {
            return input;
        }
        return input with
        {
            Channel = channel,
            Source = fields.Source,
            Medium = fields.Medium,
            Campaign = fields.Campaign,
            Content = fields.Content,
            Term = fields.Term,
        };
    }

    private void FromReferrer(ref MarketingFields fields, string? referrer, bool isVisit)
    {
        var host = ReferrerHost.Of(referrer) ?? ReferrerHost.Of(fields.ReferrerProperty);
        if (host is not null)
        {
            fields.Source = host;
            fields.Medium ??= Categories.Contains(DefaultChannelRules.Search, host) ? Organic
                : Categories.Contains(DefaultChannelRules.Social, host) ? Social
                : Referral;
        }
        else if (fields.Medium is null && isVisit)
        {
            // An untagged page or screen view with no referrer: GA4's "(direct) / (none)". With a medium but no source (an offline
            // touch from a CRM, say) the source stays empty rather than pretend the visit was direct.
            fields.Source = "(direct)";
            fields.Medium = "(none)";
        }
    }

    private string ClassifyUncached(string? source, string? medium, string? campaign)
    {
        foreach (var rule in Rules)
        {
            if (rule.When.IsMatch(source, medium, campaign, Categories))
                return rule.Channel;
        }
        return ChannelNames.Unassigned;
    }
}
