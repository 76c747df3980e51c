using System.Globalization;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// What <c>pretzel clv</c> answers (and an HTTP endpoint can, with <see cref="RunAsync(IEventStore, DateTime, CancellationToken)"/>),
/// from text options: BG/NBD and Gamma-Gamma fitted to the customers' purchase summaries, built from the store's
/// purchase events (<see cref="CustomerSummaries.FromEvents"/>) or read from a file (<see cref="Run"/>); then one row per
/// customer, or with <see cref="Params"/> the fitted parameters. See docs/analyses/clv.md.
/// </summary>
public sealed record ClvReport : IReport
{
    /// <summary>Purchase events, comma-separated (default <c>purchase,order_completed</c>).</summary>
    public string? Purchase { get; init; }

    /// <summary>The end of the calibration period: an ISO-8601 date or date-time, its UTC day counting whole (default: the last event's time).</summary>
    public string? CalibrationEnd { get; init; }

    /// <summary>How far ahead to predict, such as <c>52w</c> (default) or <c>365d</c>.</summary>
    public string? Horizon { get; init; }

    /// <summary><c>week</c> (default) or <c>day</c>: the unit of t_x, T and the parameters.</summary>
    public string? Unit { get; init; }

    /// <summary>Discount rate per unit (default 0: the undiscounted expected value).</summary>
    public double? Discount { get; init; }

    /// <summary>The fitted parameters and log-likelihoods instead of one row per customer.</summary>
    public bool Params { get; init; }

    /// <summary>Only the first N customers (by expected value).</summary>
    public int? Top { get; init; }

    /// <summary>The options, checked; throws <see cref="PathException"/> naming the bad one.</summary>
    public ClvOptions Validate()
    {
        var unit = (Unit ?? "week") switch
        {
            "week" => LifetimeUnit.Week,
            "day" => LifetimeUnit.Day,
            _ => throw new PathException($"--unit {Unit}: expected week or day"),
        };

        TimeSpan horizon;
        try
        {
            horizon = FunnelArguments.ParseDuration(Horizon ?? "52w", "--horizon");
        }
        catch (FunnelException ex)
        {
            throw new PathException(ex.Message);
        }

        DateTime? end = null;
        if (CalibrationEnd is not null)
        {
            end = DateTimeOffset.TryParse(CalibrationEnd, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t.UtcDateTime
                : throw new PathException($"--calibration-end {CalibrationEnd}: expected an ISO-8601 date or date-time, e.g. 2025-09-30");
        }

        var purchases = (Purchase ?? "purchase,order_completed").Split(',', StringSplitOptions.TrimEntries);
        if (purchases.Any(p => p.Length == 0))
        {
            throw new PathException($"--purchase {Purchase}: name the purchase events, comma-separated");
        }

        if (Discount is { } d && !(d >= 0 && double.IsFinite(d)))
        {
            throw new PathException($"--discount {d.ToString(CultureInfo.InvariantCulture)}: expected a rate per {Unit ?? "week"} of 0 or more, e.g. 0.002");
        }

        if (Top is < 1)
        {
            throw new PathException($"--top {Top}: must be at least 1");
        }

        return new ClvOptions
        {
            PurchaseEvents = purchases,
            CalibrationEnd = end,
            Unit = unit,
            Horizon = horizon.TotalDays / (unit == LifetimeUnit.Week ? 7 : 1),
            DiscountRate = Discount ?? 0,
            Params = Params,
            Top = Top,
        };
    }

    public void Check(DateTime now) => Validate();

    public Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default) =>
        RunAsync(store, null, cancellationToken);

    /// <summary>Over the store's purchase events; <paramref name="note"/> hears what the output leaves out and why.</summary>
    public async Task<ReportTable> RunAsync(IEventStore store, Action<string>? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var options = Validate();
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        var end = options.CalibrationEnd ?? CustomerSummaries.LastEventTime(columns)
            ?? throw new PathException("the store has no events: nothing to fit");
        var customers = CustomerSummaries.FromEvents(columns, options.PurchaseEvents, end, options.Unit);
        if (customers.Count == 0)
        {
            throw new PathException($"no one made a purchase ({string.Join(", ", options.PurchaseEvents)}) on or before {end:yyyy-MM-dd}");
        }

        return Run(customers, note);
    }

    /// <summary>Over summaries already built (e.g. read with <see cref="CustomerSummaryFile"/>), in the unit of <see cref="Unit"/>.</summary>
    public ReportTable Run(IReadOnlyCollection<CustomerSummary> customers, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var options = Validate();
        ClvFit fit;
        try
        {
            fit = ClvFit.Fit(customers);
        }
        catch (LifetimeException ex)
        {
            // The data, not the options, are at fault; the faces report it like a bad option, naming it.
            throw new PathException(ex.Message);
        }

        if (fit.SpendNote is { } spendNote)
        {
            note?.Invoke(spendNote);
        }

        foreach (var fitNote in fit.Notes())
        {
            note?.Invoke(fitNote);
        }

        if (options.Params)
        {
            return new ReportTable(ClvParameterRow.Columns, [.. fit.Parameters().Select(r => r.Values())]);
        }

        var rows = ClvTable.Compute(customers, fit, options.Horizon, options.DiscountRate, options.Top);
        return new ReportTable(CustomerValueRow.Columns, [.. rows.Select(r => r.Values())]);
    }
}
