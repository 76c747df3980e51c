using Pretzel.Analytics.Graph;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Paths;

/// <summary>A table of rows to print or send: column names and values aligned with them.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>An analysis asked for in text options, as the CLI and the HTTP API share it.</summary>
public interface IReport
{
    /// <summary>Checks the options without reading anything; throws <see cref="PathException"/> naming the bad one.</summary>
    void Check(DateTime now);

    /// <summary>Runs the analysis over <paramref name="store"/>.</summary>
    Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default);
}

/// <summary>
/// What <c>pretzel paths</c> and <c>/api/v1/paths</c> answer, from text options: the ranked paths, or a
/// flow around an event (<see cref="After"/>, <see cref="Before"/>, <see cref="Between"/>).
/// </summary>
public sealed record PathsReport : IReport
{
    public PathArguments Paths { get; init; } = new();

    /// <summary><c>journeys</c> (default), <c>conversions</c>, <c>losses</c> or <c>value</c>.</summary>
    public string? Sort { get; init; }

    public int? Top { get; init; }

    public string? After { get; init; }

    public string? Before { get; init; }

    /// <summary><c>A,B</c>.</summary>
    public string? Between { get; init; }

    public int? Depth { get; init; }

    public int? Nodes { get; init; }

    /// <summary>Checks the options without reading anything; throws <see cref="PathException"/> naming the bad one.</summary>
    public (PathOptions Paths, FlowOptions? Flow) Validate(DateTime now)
    {
        var options = Paths.ToOptions(now);
        var anchors = new[] { After, Before, Between };
        if (anchors.Count(a => a is not null) > 1)
        {
            throw new PathException("choose one of --after, --before and --between");
        }

        if (!anchors.Any(a => a is not null))
        {
            _ = PathListing.Rows(new PathResult([], 0, 0), Sort ?? "journeys", Top ?? 20);
            return (options, null);
        }

        var pair = Between?.Split(',', 2, StringSplitOptions.TrimEntries);
        if (pair is { Length: < 2 })
        {
            throw new PathException($"--between {Between}: expected two events, A,B");
        }

        var flow = new FlowOptions
        {
            Anchor = After is not null ? FlowAnchor.After : Before is not null ? FlowAnchor.Before : FlowAnchor.Between,
            Event = pair?[0] ?? After ?? Before!,
            Until = pair?[1],
            Depth = Depth ?? 3,
            Nodes = Nodes ?? 8,
            Touch = options.Touch,
            ConversionEvents = options.ConversionEvents,
            To = options.To,
        };
        flow.Validate();
        return (options, flow);
    }

    public void Check(DateTime now) => Validate(now);

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (options, flow) = Validate(now);
        if (flow is not null)
        {
            var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
            return new ReportTable(FlowRow.Columns, [.. Flow.Compute(columns, flow).Select(r => r.Values())]);
        }

        var result = await PathQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
        return new ReportTable(PathListing.Columns, PathListing.Rows(result, Sort ?? "journeys", Top ?? 20));
    }
}

/// <summary>What <c>pretzel graph</c> and <c>/api/v1/graph</c> answer, from text options.</summary>
public sealed record GraphReport : IReport
{
    /// <summary>Path options; the touch defaults to <c>event</c> here (pages and actions), where the graph shows most.</summary>
    public PathArguments Paths { get; init; } = new();

    /// <summary>Markov order 1..4 (default 1).</summary>
    public int? Order { get; init; }

    /// <summary><c>nodes</c> (default), <c>transitions</c>, <c>black_holes</c> or <c>bright_paths</c>.</summary>
    public string? View { get; init; }

    /// <summary>Rows for black holes (default 20) or routes for bright paths (default 5).</summary>
    public int? Top { get; init; }

    public static IReadOnlyList<string> Views { get; } = ["nodes", "transitions", "black_holes", "bright_paths"];

    public (PathOptions Paths, int Order) Validate(DateTime now)
    {
        var options = (Paths with { Touch = Paths.Touch ?? "event" }).ToOptions(now);
        var order = Order ?? 1;
        if (order is < 1 or > MarkovChain.MaxOrder)
        {
            throw new PathException($"--order {order}: expected 1..{MarkovChain.MaxOrder}");
        }

        if (!Views.Contains(View ?? "nodes"))
        {
            throw new PathException($"view {View}: expected one of {string.Join(", ", Views)}");
        }

        if (Top is < 1)
        {
            throw new PathException($"{(View == "bright_paths" ? "--bright-paths" : "--top")} {Top}: must be at least 1");
        }

        return (options, order);
    }

    public void Check(DateTime now) => Validate(now);

    public async Task<ReportTable> RunAsync(IEventStore store, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (options, order) = Validate(now);
        var result = await PathQuery.RunAsync(store, options, cancellationToken).ConfigureAwait(false);
        var chain = MarkovChain.FromPaths(result.Table, order);
        return (View ?? "nodes") switch
        {
            "black_holes" => new ReportTable(BlackHoleRow.Columns, [.. chain.BlackHoles(Top ?? 20).Select(r => r.Values())]),
            "bright_paths" => new ReportTable(BrightPathRow.Columns, [.. chain.BrightPaths(Top ?? 5).Select(r => r.Values())]),
            "transitions" => new ReportTable(TransitionRow.Columns, [.. chain.Transitions().Select(r => r.Values())]),
            _ => new ReportTable(NodeRow.Columns, [.. chain.Nodes().Select(r => r.Values())]),
        };
    }
}
