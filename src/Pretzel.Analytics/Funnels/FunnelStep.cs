using Pretzel.Analytics.Journeys;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// What counts as reaching a step: an event name (<c>purchase</c>; for page and screen events the page
/// name), or conditions on event fields joined by <c>&amp;</c> (<c>type=page&amp;event=pricing</c>,
/// <c>channel=email</c>). Fields: <c>event</c>, <c>type</c>, <c>channel</c>, <c>source</c>, <c>medium</c>, <c>campaign</c>.
/// </summary>
public sealed class FunnelStep
{
    private static readonly string[] Fields = ["event", "type", "channel", "source", "medium", "campaign"];
    private readonly (string Field, string Value)[] _conditions;

    private FunnelStep(string name, (string Field, string Value)[] conditions)
    {
        Name = name;
        _conditions = conditions;
    }

    /// <summary>The step as written.</summary>
    public string Name { get; }

    /// <summary>The field conditions, all of which an event must meet.</summary>
    internal IReadOnlyList<(string Field, string Value)> Conditions => _conditions;

    /// <summary>Parses one step; throws <see cref="FunnelException"/> naming the step and the problem.</summary>
    public static FunnelStep Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = text.Trim();
        if (name.Length == 0)
        {
            throw new FunnelException("a step is empty (steps are separated by commas)");
        }

        if (!name.Contains('=', StringComparison.Ordinal))
        {
            return new FunnelStep(name, [("event", name)]);
        }

        var conditions = new List<(string, string)>();
        foreach (var part in name.Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var field = eq < 0 ? part.Trim() : part[..eq].Trim().ToLowerInvariant();
            if (eq < 0 || Array.IndexOf(Fields, field) < 0)
            {
                throw new FunnelException($"step '{name}': '{part.Trim()}' is not FIELD=VALUE with FIELD one of {string.Join(", ", Fields)}");
            }

            conditions.Add((field, part[(eq + 1)..].Trim()));
        }

        return new FunnelStep(name, [.. conditions]);
    }

    /// <summary>Whether <paramref name="e"/> reaches this step.</summary>
    public bool Matches(JourneyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var (field, value) in _conditions)
        {
            var actual = field switch
            {
                "event" => e.Name,
                "type" => e.Type,
                "channel" => e.Channel,
                "source" => e.Source,
                "medium" => e.Medium,
                _ => e.Campaign,
            };
            if (!string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A funnel that cannot be computed as asked; the message names the option or step.</summary>
public sealed class FunnelException(string message) : Exception(message);
