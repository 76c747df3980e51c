using YamlDotNet.RepresentationModel;

namespace Pretzel.Ingest.Projects;

/// <summary>The <c>aarrr:</c> section: the events (and referral channels) behind each AARRR metric.</summary>
internal sealed partial class ProjectFileReader
{
    private static readonly string[] AarrrKeys = ["acquisition", "activation", "retention", "revenue", "referral"];
    private static readonly string[] AarrrEventKeys = ["events"];
    private static readonly string[] AarrrReferralKeys = ["events", "channels"];

    private AarrrSettings ReadAarrr(YamlNode node)
    {
        const string path = "aarrr";
        var defaults = AarrrSettings.Default;
        var (acquisition, activation, retention, revenue) = (defaults.AcquisitionEvents, defaults.ActivationEvents, defaults.RetentionEvents, defaults.RevenueEvents);
        var (referral, referred) = (defaults.ReferralEvents, defaults.ReferredChannels);
        if (IsNull(node))
            return defaults;
        foreach (var (key, value) in Entries(Mapping(node, path), path, AarrrKeys))
        {
            var keyPath = $"{path}.{key}";
            if (key == "referral")
            {
                foreach (var (field, list) in Entries(Mapping(value, keyPath), keyPath, AarrrReferralKeys))
                {
                    if (field == "events")
                        referral = Names(list, $"{keyPath}.events", "event");
                    else
                        referred = Names(list, $"{keyPath}.channels", "channel");
                }
                continue;
            }

            foreach (var (_, list) in Entries(Mapping(value, keyPath), keyPath, AarrrEventKeys))
            {
                var names = Names(list, $"{keyPath}.events", "event");
                switch (key)
                {
                    case "acquisition": acquisition = names; break;
                    case "activation": activation = names; break;
                    case "retention": retention = names; break;
                    default: revenue = names; break;
                }
            }
        }
        return new AarrrSettings
        {
            AcquisitionEvents = acquisition,
            ActivationEvents = activation,
            RetentionEvents = retention,
            RevenueEvents = revenue,
            ReferralEvents = referral,
            ReferredChannels = referred,
        };
    }

    private List<string> Names(YamlNode node, string path, string what)
    {
        var names = ScalarList(node, path).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            Fail("project.invalid_value", node, path, $"name at least one {what} (leave the key out for the default)");
        if (names.FirstOrDefault(n => n.Contains(',', StringComparison.Ordinal)) is { } comma)
            Fail("project.invalid_value", node, path, $"'{comma}': a name cannot contain a comma");
        return names;
    }
}
