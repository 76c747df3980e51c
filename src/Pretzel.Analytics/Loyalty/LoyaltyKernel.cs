using Pretzel.Analytics.Kernels;
using Pretzel.Analytics.Journeys;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Loyalty;

/// <summary>Each person's loyalty level at a date, over the event columns; <see cref="Reference"/> states the same over journeys.</summary>
public static class LoyaltyKernel
{
    /// <summary>Per person of <paramref name="columns"/>: the level at <paramref name="at"/>, or null when they had no event by then; and their revenue by then.</summary>
    public static (LoyaltyLevel?[] Levels, double[] Revenue) Levels(EventColumns columns, LoyaltyRules rules, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        var to = EventTime.ToMicros(at);
        var inactiveBefore = to - (rules.ChurnAfter.Ticks / 10);
        var purchase = PersonKernel.CodeSet(columns.Event, rules.PurchaseEvents);
        var advocacy = PersonKernel.CodeSet(columns.Event, rules.AdvocacyEvents);
        var refusal = PersonKernel.CodeSet(columns.Event, rules.RefusalEvents);
        var churn = PersonKernel.CodeSet(columns.Event, rules.ChurnEvents);
        var levels = new LoyaltyLevel?[columns.PersonCount];
        var revenue = new double[columns.PersonCount];
        var codes = columns.Event.Codes;
        var micros = columns.Micros;
        Parallel.For(0, (columns.PersonCount + 4095) / 4096, chunk =>
        {
            for (var p = chunk * 4096; p < Math.Min(columns.PersonCount, (chunk + 1) * 4096); p++)
            {
                long purchases = 0;
                bool churned = false, refused = false, advocated = false;
                long last = long.MinValue;
                double money = 0;
                for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1] && micros[i] <= to; i++)
                {
                    var code = codes[i] + 1;
                    last = micros[i];
                    if (purchase[code])
                    {
                        purchases++;
                        churned = false;
                    }
                    else if (churn[code] && purchases > 0)
                    {
                        churned = true;
                    }

                    refused |= refusal[code];
                    advocated |= advocacy[code];
                    if (!double.IsNaN(columns.Revenue[i]))
                    {
                        money += columns.Revenue[i];
                    }
                }

                if (last != long.MinValue)
                {
                    levels[p] = rules.Level(purchases, churned, last < inactiveBefore, refused, advocated);
                    revenue[p] = money;
                }
            }
        });
        return (levels, revenue);
    }

    /// <summary>The plain statement over one person's journey (events at or before <paramref name="at"/>): the oracle.</summary>
    public static LoyaltyLevel? Reference(PersonJourney person, LoyaltyRules rules, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(rules);
        var events = person.Events.Where(e => EventTime.FromMicros(e.Micros) <= at).ToList();
        if (events.Count == 0)
        {
            return null;
        }

        bool Is(JourneyEvent e, IReadOnlyList<string> names) => e.Name is not null && names.Contains(e.Name);
        var purchases = events.Count(e => Is(e, rules.PurchaseEvents));
        var lastPurchase = events.FindLastIndex(e => Is(e, rules.PurchaseEvents));
        var churned = lastPurchase >= 0 && events.Skip(lastPurchase + 1).Any(e => Is(e, rules.ChurnEvents));
        var inactive = EventTime.FromMicros(events[^1].Micros) < at - rules.ChurnAfter;
        return rules.Level(purchases, churned, inactive, events.Any(e => Is(e, rules.RefusalEvents)), events.Any(e => Is(e, rules.AdvocacyEvents)));
    }
}
