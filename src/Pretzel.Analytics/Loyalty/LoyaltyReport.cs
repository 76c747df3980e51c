using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Loyalty;

/// <summary>
/// What <c>pretzel loyalty</c> and <c>/api/v1/loyalty</c> answer: the loyalty pyramid at a date (people, share and
/// revenue per level), or with <see cref="From"/> the movement matrix between two dates.
/// </summary>
public sealed record LoyaltyReport : IReport
{
    /// <summary>The date of the pyramid (default: the store's last event).</summary>
    public string? To { get; init; }

    /// <summary>An earlier date: rows become the movements from each level at this date to each level at <see cref="To"/>.</summary>
    public string? From { get; init; }

    public string? Purchase { get; init; }

    public string? AdvocacyEvents { get; init; }

    public string? RefusalEvents { get; init; }

    public string? ChurnEvents { get; init; }

    public int? RepeatPurchases { get; init; }

    public int? LoyalPurchases { get; init; }

    public string? ChurnAfter { get; init; }

    /// <summary>The level a person unknown at <see cref="From"/> comes from.</summary>
    public const string New = "(new)";

    public LoyaltyRules Rules()
    {
        var defaults = new LoyaltyRules();
        TimeSpan churnAfter;
        try
        {
            churnAfter = ChurnAfter is null ? defaults.ChurnAfter : FunnelArguments.ParseDuration(ChurnAfter, "--churn-after");
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }

        var rules = new LoyaltyRules
        {
            PurchaseEvents = ReportArguments.Names(Purchase) ?? defaults.PurchaseEvents,
            AdvocacyEvents = ReportArguments.Names(AdvocacyEvents) ?? defaults.AdvocacyEvents,
            RefusalEvents = ReportArguments.Names(RefusalEvents) ?? defaults.RefusalEvents,
            ChurnEvents = ReportArguments.Names(ChurnEvents) ?? defaults.ChurnEvents,
            RepeatPurchases = RepeatPurchases ?? defaults.RepeatPurchases,
            LoyalPurchases = LoyalPurchases ?? defaults.LoyalPurchases,
            ChurnAfter = churnAfter,
        };
        rules.Validate();
        return rules;
    }

    public void Check(DateTime now)
    {
        _ = Rules();
        var to = To is null ? now : ReportArguments.Time(To, "--to");
        if (From is not null && ReportArguments.Time(From, "--from") >= to)
        {
            throw new PathException($"--from {From}: must be before --to {To ?? "(the last event)"}");
        }
    }

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Check(now);
        return Run(await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false), now);
    }

    public ReportTable Run(EventColumns columns, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var rules = Rules();
        var to = To is not null ? ReportArguments.Time(To, "--to") : columns.Count > 0 ? EventTime.FromMicros(columns.Micros.Max()) : now;
        var (levels, revenue) = LoyaltyKernel.Levels(columns, rules, to);
        if (From is null)
        {
            return Pyramid(levels, revenue);
        }

        var from = ReportArguments.Time(From, "--from");
        if (from >= to)
        {
            throw new PathException($"--from {From}: must be before the end of the analysis ({to:yyyy-MM-dd})");
        }

        var (before, _) = LoyaltyKernel.Levels(columns, rules, from);
        return Movements(before, levels);
    }

    /// <summary>Rows <c>level, people, share, revenue, revenue_per_person</c>, bottom of the pyramid to the top, then the exits.</summary>
    public static ReportTable Pyramid(IReadOnlyList<LoyaltyLevel?> levels, IReadOnlyList<double> revenue)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(revenue);
        var people = new long[Enum.GetValues<LoyaltyLevel>().Length];
        var money = new double[people.Length];
        long known = 0;
        for (var p = 0; p < levels.Count; p++)
        {
            if (levels[p] is { } level)
            {
                people[(int)level]++;
                money[(int)level] += revenue[p];
                known++;
            }
        }

        var rows = Enum.GetValues<LoyaltyLevel>().Select(l => new object?[]
        {
            LoyaltyRules.Name(l), people[(int)l], known > 0 ? Round((double)people[(int)l] / known) : null, Round(money[(int)l]),
            people[(int)l] > 0 ? Round(money[(int)l] / people[(int)l]) : null,
        }).ToList();
        return new ReportTable(["level", "people", "share", "revenue", "revenue_per_person"], rows);
    }

    /// <summary>Rows <c>from_level, to_level, people</c> for every pair with people, in level order (<c>(new)</c> first).</summary>
    public static ReportTable Movements(IReadOnlyList<LoyaltyLevel?> before, IReadOnlyList<LoyaltyLevel?> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var counts = new SortedDictionary<(int From, int To), long>();
        for (var p = 0; p < after.Count; p++)
        {
            if (after[p] is { } now)
            {
                var key = (before[p] is { } then ? (int)then : -1, (int)now);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        var rows = counts.Select(c => new object?[] { c.Key.From < 0 ? New : LoyaltyRules.Name((LoyaltyLevel)c.Key.From), LoyaltyRules.Name((LoyaltyLevel)c.Key.To), c.Value }).ToList();
        return new ReportTable(["from_level", "to_level", "people"], rows);
    }

    private static double Round(double value)
    {
        var rounded = Math.Round(value, 6);
        return rounded == 0 ? 0 : rounded;
    }
}
