using Pretzel.Core.Events;

namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// Builds the per-customer summaries the lifetime models read from a store's events, the way Fader, Hardie and Lee
/// (and lifetimes' <c>summary_data_from_transaction_data</c>) do: a transaction is a customer's purchases on one UTC
/// calendar day (same-day purchases merge and their revenue adds up), the first transaction is the customer's birth,
/// and times are whole days (divided by 7 for weeks). See docs/analyses/clv.md#summaries.
/// </summary>
public static class CustomerSummaries
{
    private const long MicrosPerDay = 86_400_000_000;

    /// <summary>
    /// One summary per person with a purchase on or before the UTC day of <paramref name="calibrationEnd"/> (every
    /// purchase of that day counts, whatever its time), in the order of <paramref name="columns"/>:
    /// x = purchase days after the first, t_x = last purchase day − first, T = the calibration end's day − first,
    /// z̄ = the mean revenue of the repeat purchase days (revenue missing counts as 0). With
    /// <paramref name="holdoutEnd"/>, the purchase days after the calibration end up to that day (inclusive) are
    /// counted in <see cref="CustomerSummary.HoldoutX"/> and their revenue in <see cref="CustomerSummary.HoldoutValue"/>.
    /// A purchase is an event whose name is in <paramref name="purchaseEvents"/>.
    /// </summary>
    public static IReadOnlyList<CustomerSummary> FromEvents(EventColumns columns, IReadOnlyCollection<string> purchaseEvents, DateTime calibrationEnd,
        LifetimeUnit unit, DateTime? holdoutEnd = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(purchaseEvents);
        var endDay = Day(EventTime.ToMicros(calibrationEnd));
        var holdoutDay = holdoutEnd is { } h ? Day(EventTime.ToMicros(h)) : endDay;
        if (holdoutDay < endDay)
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutEnd), $"the holdout end {holdoutEnd:yyyy-MM-dd} is before the calibration end {calibrationEnd:yyyy-MM-dd}");
        }

        var purchase = new bool[columns.Event.Labels.Length];
        foreach (var name in purchaseEvents)
        {
            if (columns.Event.CodeOf(name) is var code and >= 0)
            {
                purchase[code] = true;
            }
        }

        double perUnit = unit == LifetimeUnit.Week ? 7 : 1;
        var codes = columns.Event.Codes;
        var summaries = new List<CustomerSummary>();
        for (var p = 0; p < columns.PersonCount; p++)
        {
            const long None = long.MinValue;
            long first = None, last = None, lastHoldout = None;
            var (x, repeatValue, dayValue) = (0, 0.0, 0.0);
            var (holdoutX, holdoutValue) = (0, 0.0);
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1]; i++)
            {
                if (codes[i] < 0 || !purchase[codes[i]])
                {
                    continue;
                }

                // A person's events are in time order, so their days never go back.
                var day = Day(columns.Micros[i]);
                var revenue = double.IsNaN(columns.Revenue[i]) ? 0 : columns.Revenue[i];
                if (day > holdoutDay || (day > endDay && first == None))
                {
                    break;
                }

                if (day > endDay)
                {
                    holdoutX += day != lastHoldout ? 1 : 0;
                    holdoutValue += revenue;
                    lastHoldout = day;
                }
                else if (day == last)
                {
                    dayValue += revenue;
                }
                else
                {
                    // A new purchase day; the one before it adds its value if it was a repeat.
                    if (first == None)
                    {
                        first = day;
                    }
                    else
                    {
                        repeatValue += last == first ? 0 : dayValue;
                        x++;
                    }

                    last = day;
                    dayValue = revenue;
                }
            }

            if (first == None)
            {
                continue;
            }

            repeatValue += last == first ? 0 : dayValue;
            summaries.Add(new CustomerSummary(columns.PersonIds[p], x, (last - first) / perUnit, (endDay - first) / perUnit, x > 0 ? repeatValue / x : 0)
            {
                HoldoutX = holdoutEnd is null ? null : holdoutX,
                HoldoutValue = holdoutEnd is null ? null : holdoutValue,
            });
        }

        return summaries;
    }

    /// <summary>The time of the latest event in <paramref name="columns"/> (UTC), or null when there are none.</summary>
    public static DateTime? LastEventTime(EventColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.Count == 0 ? null : EventTime.FromMicros(columns.Micros.Max());
    }

    /// <summary>The UTC day number (days since 1970-01-01) of a time in microseconds, rounding down before 1970 too.</summary>
    internal static long Day(long micros) => micros >= 0 ? micros / MicrosPerDay : ((micros + 1) / MicrosPerDay) - 1;
}
