using System.Globalization;
using Pretzel.Analytics.Funnels;

namespace Pretzel.Analytics.Paths;

/// <summary>Paths as typed by people: the same text options for <c>pretzel paths</c> and <c>/api/v1/paths</c>.</summary>
public sealed record PathArguments
{
    /// <summary><c>channel</c> (default), <c>event</c>, <c>channel:event</c> or <c>campaign</c>.</summary>
    public string? Touch { get; init; }

    /// <summary>Comma-separated conversion events (default: purchase, order_completed).</summary>
    public string? Conversion { get; init; }

    /// <summary>Lookback such as <c>90d</c> (default).</summary>
    public string? Lookback { get; init; }

    public bool Collapse { get; init; }

    public string? MaxLength { get; init; }

    /// <summary>End of the analysis (ISO-8601 UTC); default now.</summary>
    public string? To { get; init; }

    /// <summary>Builds the options; throws <see cref="PathException"/> naming what is wrong.</summary>
    public PathOptions ToOptions(DateTime now)
    {
        try
        {
            var options = new PathOptions
            {
                Touch = Touch is null ? TouchKind.Channel : PathOptions.ParseTouch(Touch),
                Lookback = Lookback is null ? TimeSpan.FromDays(90) : FunnelArguments.ParseDuration(Lookback, "--lookback"),
                Collapse = Collapse,
                MaxLength = MaxLength is null ? null
                    : int.TryParse(MaxLength, NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? max
                    : throw new PathException($"--max-length {MaxLength}: expected a whole number of touches"),
                To = To is null ? now : FunnelArguments.ParseTime(To),
            };
            if (Conversion is not null)
            {
                options = options with { ConversionEvents = [.. Conversion.Split(',').Select(c => c.Trim())] };
            }

            options.Validate();
            return options;
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }
    }
}

/// <summary>The rows of <c>pretzel paths</c>: the top paths by a measure, and one row for all the others.</summary>
public static class PathListing
{
    public static IReadOnlyList<string> Columns { get; } =
        ["path", "journeys", "people", "share_of_all", "conversions", "conversion_rate", "median_days_to_convert", "value", "nulls"];

    /// <summary>The accepted <c>--sort</c> values.</summary>
    public static IReadOnlyList<string> Sorts { get; } = ["journeys", "conversions", "losses", "value"];

    /// <summary>
    /// The <paramref name="top"/> paths by <paramref name="sort"/> (ties by path), then <c>(other paths)</c> with
    /// the totals of the rest, so the journeys, conversions, value and nulls columns add up to all of them.
    /// People are counted per path; the other row leaves them empty (a person may be on several paths).
    /// </summary>
    public static IReadOnlyList<object?[]> Rows(PathResult result, string sort, int top)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!Sorts.Contains(sort))
        {
            throw new PathException($"--sort {sort}: expected one of {string.Join(", ", Sorts)}");
        }

        if (top < 1)
        {
            throw new PathException($"--top {top}: must be at least 1");
        }

        Func<PathSummary, double> key = sort switch
        {
            "conversions" => p => p.Conversions,
            "losses" => p => p.Nulls,
            "value" => p => p.Value,
            _ => p => p.Journeys,
        };
        var ordered = result.Paths.OrderByDescending(key).ThenBy(p => Name(p.Touches), StringComparer.Ordinal).ToList();
        var rows = ordered.Take(top).Select(p => new object?[]
        {
            Name(p.Touches), p.Journeys, p.People, Ratio(p.People, result.People), p.Conversions, Ratio(p.Conversions, p.Journeys),
            Median(p.DaysToConvert), Math.Round(p.Value, 6), p.Nulls,
        }).ToList();
        var rest = ordered.Skip(top).ToList();
        if (rest.Count > 0)
        {
            var journeys = rest.Sum(p => p.Journeys);
            var conversions = rest.Sum(p => p.Conversions);
            rows.Add(["(other paths)", journeys, null, null, conversions, Ratio(conversions, journeys),
                Median([.. rest.SelectMany(p => p.DaysToConvert)]), Math.Round(rest.Sum(p => p.Value), 6), rest.Sum(p => p.Nulls)]);
        }

        return rows;
    }

    /// <summary>A path as shown: touches joined by " &gt; ", or <c>(no touch)</c>.</summary>
    public static string Name(IReadOnlyList<string> touches) => touches.Count == 0 ? PathTableFile.NoTouch : string.Join(" > ", touches);

    private static double? Ratio(long a, long b) => b == 0 ? null : Math.Round((double)a / b, 6);

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return Math.Round(values[(values.Count - 1) / 2], 6);
    }
}
