using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Pretzel.Ingest.Channels;

/// <summary>
/// The marketing fields of one event while they are being filled, each from the first place that has it:
/// the event's own field, then <c>utm_*</c> properties, then the <c>url</c> (or <c>search</c>) property's query
/// string, then click ids, then the referrer. A field already set is never overwritten.
/// </summary>
internal struct MarketingFields
{
    public string? Source;
    public string? Medium;
    public string? Campaign;
    public string? Content;
    public string? Term;

    /// <summary>The <c>referrer</c> property, used when the event's own Referrer is empty.</summary>
    public string? ReferrerProperty;

    public ClickId ClickId;

    /// <summary>Host of the <c>url</c> property (the page itself), to recognise navigation inside the site.</summary>
    public string? UrlHost;

    public readonly bool IsComplete =>
        Source is not null && Medium is not null && Campaign is not null && Content is not null && Term is not null;

    /// <summary>
    /// Cheap test that keeps the common case (no properties, or properties without marketing keys) away
    /// from the JSON reader: ~1M events per second go through here during an import.
    /// </summary>
    public static bool MayCarryMarketingKeys(string? properties) =>
        properties is not null
        && (properties.Contains("utm_", StringComparison.Ordinal)
            || properties.Contains("url", StringComparison.Ordinal)
            || properties.Contains("referrer", StringComparison.Ordinal)
            || properties.Contains("clid", StringComparison.Ordinal)
            || properties.Contains("braid", StringComparison.Ordinal));

    /// <summary>Reads the top-level marketing keys of a JSON object; anything that is not valid JSON is ignored.</summary>
    public void ReadProperties(string json)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        string? url = null;
        string? search = null;
        try
        {
            int length = Encoding.UTF8.GetBytes(json, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = KeyOf(ref reader);
                if (!reader.Read())
                    break;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                if (key == Key.None || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                    continue;
                string? value = reader.TokenType == JsonTokenType.String ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan);
                switch (key)
                {
                    case Key.Url: url ??= value; break;
                    case Key.Search: search ??= value; break;
                    case Key.Referrer: ReferrerProperty ??= Clean(value); break;
                    default: Set(key, value); break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or not entirely): keep what was read before the error.
        }
        catch (InvalidOperationException)
        {
            // A string with invalid escapes or UTF-16 that cannot be transcoded.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (url is not null)
        {
            UrlHost = ReferrerHost.Of(url);
            ReadQuery(url, wholeIsQuery: false);
        }
        if (search is not null)
            ReadQuery(search, wholeIsQuery: true);
    }

    /// <summary>Reads <c>utm_*</c> and click ids from the query string of a URL (ignoring the fragment).</summary>
    public void ReadQuery(string url, bool wholeIsQuery)
    {
        ReadOnlySpan<char> query = url;
        int question = query.IndexOf('?');
        if (question >= 0)
            query = query[(question + 1)..];
        else if (!wholeIsQuery)
            return;
        int hash = query.IndexOf('#');
        if (hash >= 0)
            query = query[..hash];

        while (!query.IsEmpty)
        {
            int amp = query.IndexOf('&');
            var pair = amp >= 0 ? query[..amp] : query;
            query = amp >= 0 ? query[(amp + 1)..] : [];
            int eq = pair.IndexOf('=');
            if (eq <= 0)
                continue;
            var key = KeyOf(pair[..eq]);
            if (key is Key.None or Key.Url or Key.Search or Key.Referrer)
                continue;
            if (ClickIdOf(key) != ClickId.None || Field(key) is null)
                Set(key, Unescape(pair[(eq + 1)..]));
        }
    }

    private readonly string? Field(Key key) => key switch
    {
        Key.UtmSource => Source,
        Key.UtmMedium => Medium,
        Key.UtmCampaign => Campaign,
        Key.UtmContent => Content,
        Key.UtmTerm => Term,
        _ => null,
    };

    private void Set(Key key, string? value)
    {
        switch (key)
        {
            case Key.UtmSource: Source ??= CleanLower(value); break;
            case Key.UtmMedium: Medium ??= CleanLower(value); break;
            case Key.UtmCampaign: Campaign ??= Clean(value); break;
            case Key.UtmContent: Content ??= Clean(value); break;
            case Key.UtmTerm: Term ??= Clean(value); break;
            default:
                if (!string.IsNullOrWhiteSpace(value))
                    ClickId |= ClickIdOf(key);
                break;
        }
    }

    /// <summary>Fills a missing source (and medium) from the strongest click id present.</summary>
    public void ApplyClickIds()
    {
        if (Source is not null || ClickId == ClickId.None)
            return;
        (Source, string medium) = ClickId switch
        {
            _ when ClickId.HasFlag(ClickId.Google) => ("google", "cpc"),
            _ when ClickId.HasFlag(ClickId.GoogleDisplay) => ("google", "display"),
            _ when ClickId.HasFlag(ClickId.Microsoft) => ("bing", "cpc"),
            _ when ClickId.HasFlag(ClickId.TikTok) => ("tiktok", "cpc"),
            _ when ClickId.HasFlag(ClickId.Twitter) => ("twitter", "cpc"),
            // Facebook appends fbclid to every outbound link, organic posts included: only a paid medium says it was an ad.
            _ => ("facebook", "social"),
        };
        Medium ??= medium;
    }

    private static string Unescape(ReadOnlySpan<char> value)
    {
        var text = value.Contains('+') ? value.ToString().Replace('+', ' ') : value.ToString();
        return text.Contains('%') ? Uri.UnescapeDataString(text) : text;
    }

    /// <summary>Trims; null when empty. Returns the same instance when nothing changes.</summary>
    public static string? Clean(string? value)
    {
        if (value is null)
            return null;
        var span = value.AsSpan();
        var trimmed = span.Trim();
        if (trimmed.IsEmpty)
            return null;
        return trimmed.Length == span.Length ? value : trimmed.ToString();
    }

    /// <summary>Trims and lower-cases; null when empty. Returns the same instance when nothing changes.</summary>
    public static string? CleanLower(string? value)
    {
        if (value is null)
            return null;
        var span = value.AsSpan();
        var trimmed = span.Trim();
        if (trimmed.IsEmpty)
            return null;
        foreach (char c in trimmed)
        {
            if (char.ToLowerInvariant(c) != c)
                return string.Create(trimmed.Length, value, static (dest, source) => source.AsSpan().Trim().ToLowerInvariant(dest));
        }
        return trimmed.Length == span.Length ? value : trimmed.ToString();
    }

    private enum Key
    {
        None,
        UtmSource,
        UtmMedium,
        UtmCampaign,
        UtmContent,
        UtmTerm,
        Url,
        Search,
        Referrer,
        Gclid,
        Gbraid,
        Wbraid,
        Dclid,
        Msclkid,
        Ttclid,
        Twclid,
        Fbclid,
    }

    private static Key KeyOf(ref Utf8JsonReader reader)
    {
        // Property names are short; anything longer than the longest key cannot match.
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > 12 || reader.ValueSpan.Length < 3)
            return reader.ValueIsEscaped ? KeyOf(reader.GetString().AsSpan()) : Key.None;
        Span<char> name = stackalloc char[12];
        int length = Encoding.UTF8.GetChars(reader.ValueSpan, name);
        return KeyOf(name[..length]);
    }

    private static Key KeyOf(ReadOnlySpan<char> name) => name switch
    {
        "utm_source" => Key.UtmSource,
        "utm_medium" => Key.UtmMedium,
        "utm_campaign" => Key.UtmCampaign,
        "utm_content" => Key.UtmContent,
        "utm_term" => Key.UtmTerm,
        "url" => Key.Url,
        "search" => Key.Search,
        "referrer" => Key.Referrer,
        "gclid" => Key.Gclid,
        "gbraid" => Key.Gbraid,
        "wbraid" => Key.Wbraid,
        "dclid" => Key.Dclid,
        "msclkid" => Key.Msclkid,
        "ttclid" => Key.Ttclid,
        "twclid" => Key.Twclid,
        "fbclid" => Key.Fbclid,
        _ => Key.None,
    };

    private static ClickId ClickIdOf(Key key) => key switch
    {
        Key.Gclid or Key.Gbraid or Key.Wbraid => ClickId.Google,
        Key.Dclid => ClickId.GoogleDisplay,
        Key.Msclkid => ClickId.Microsoft,
        Key.Ttclid => ClickId.TikTok,
        Key.Twclid => ClickId.Twitter,
        Key.Fbclid => ClickId.Facebook,
        _ => ClickId.None,
    };
}
