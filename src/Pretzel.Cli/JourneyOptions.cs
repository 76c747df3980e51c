using System.CommandLine;
using Pretzel.Analytics.Paths;

namespace Pretzel.Cli;

/// <summary>
/// The options that cut journeys out of the store (see docs/analyses/paths.md), shared by <c>paths</c>,
/// <c>graph</c> and <c>attribution</c>: the same names, help and parsing everywhere.
/// </summary>
internal sealed class JourneyOptions
{
    internal JourneyOptions(string defaultTouch)
    {
        Touch = new Option<string?>("--touch") { Description = $"What a touchpoint is: channel, event, channel:event, campaign or channel:campaign (default {defaultTouch})", HelpName = "KIND" };
    }

    internal Option<string?> Touch { get; }

    internal Option<string?> Conversion { get; } = new("--conversion") { Description = "Conversion events, comma-separated (default purchase,order_completed)", HelpName = "EVENTS" };

    internal Option<string?> Lookback { get; } = new("--lookback") { Description = "Touches older than this before a journey's end are left out (default 90d)", HelpName = "DURATION" };

    internal Option<bool> Collapse { get; } = new("--collapse") { Description = "Count repeated consecutive touches once" };

    internal Option<string?> MaxLength { get; } = new("--max-length") { Description = "Keep only the last N touches of each path", HelpName = "N" };

    internal Option<string?> To { get; } = new("--to") { Description = "End of the analysis (default now)", HelpName = "TIME" };

    /// <summary>Every option, to add to a command.</summary>
    internal IEnumerable<Option> All => [Touch, Conversion, Lookback, Collapse, MaxLength, To];

    /// <summary>The options that were given (for commands that refuse them in some mode).</summary>
    internal IEnumerable<Option> Given(ParseResult parse) =>
        All.Where(o => parse.GetResult(o) is { Implicit: false });

    internal PathArguments Arguments(ParseResult parse) => new()
    {
        Touch = parse.GetValue(Touch),
        Conversion = parse.GetValue(Conversion),
        Lookback = parse.GetValue(Lookback),
        Collapse = parse.GetValue(Collapse),
        MaxLength = parse.GetValue(MaxLength),
        To = parse.GetValue(To),
    };
}
