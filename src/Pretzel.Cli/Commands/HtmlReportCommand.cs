using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Pretzel.Analytics.Aarrr;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Funnels;
using Pretzel.Analytics.JourneyMap;
using Pretzel.Analytics.Loyalty;
using Pretzel.Analytics.Paths;
using Pretzel.Analytics.Retention;
using Pretzel.Analytics.Roi;
using Pretzel.Analytics.Segments;
using Pretzel.Core.Storage;
using Pretzel.Ingest.Projects;

namespace Pretzel.Cli.Commands;

/// <summary>
/// <c>pretzel report --out FILE</c>: the main analyses over the store in one self-contained HTML file (styles, Apache
/// ECharts, the data and the drawing script all inline; nothing is fetched), readable offline (docs/report.md).
/// A section whose analysis fails on the data says why instead of failing the whole report.
/// </summary>
internal static class HtmlReportCommand
{
    private const int MaxTableRows = 500;

    internal static Command Create()
    {
        var output = new Option<string>("--out") { Description = "HTML file to write (default report.html)", HelpName = "FILE", DefaultValueFactory = _ => "report.html" };
        var to = new Option<string?>("--to") { Description = "End of the analyses (default: now, or the last event where an analysis says so)", HelpName = "TIME" };
        var command = new Command("report", "Write one self-contained HTML file with the main charts and tables (AARRR, funnel, attribution, ROI, retention, loyalty, segments, journey map), readable offline")
        {
            output, to,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(output)!;
            var end = parse.GetValue(to);
            if (end is not null)
            {
                try
                {
                    _ = FunnelArguments.ParseTime(end);
                }
                catch (FunnelException ex)
                {
                    throw CliException.Usage(ex.Message);
                }
            }

            if (Directory.Exists(path))
            {
                throw CliException.Usage($"--out {path} is a folder; expected a file name");
            }

            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            using var store = StoreSelection.Open(parse, readOnly: true);
            var failed = await WriteAsync(store, settings, end, path, cancellationToken).ConfigureAwait(false);
            foreach (var (title, error) in failed)
            {
                await Console.Error.WriteLineAsync($"pretzel: report: {title}: {error}").ConfigureAwait(false);
            }

            Console.Out.WriteLine(Path.GetFullPath(path));
            return 0;
        });
        return command;
    }

    /// <summary>Runs the analyses over <paramref name="store"/> and writes the report to <paramref name="path"/>; returns the sections that failed, with why.</summary>
    internal static async Task<IReadOnlyList<(string Title, string Error)>> WriteAsync(IEventStore store, ProjectSettings settings, string? to, string path, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var results = new List<SectionResult>();
        foreach (var section in Sections(settings, to))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var report = section.Make(now);
                report.Check(now);
                results.Add(new SectionResult(section, await report.RunAsync(store, now, cancellationToken).ConfigureAwait(false), null));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results.Add(new SectionResult(section, null, ex.Message.Split('\n')[0]));
            }
        }

        Pretzel.Core.Storage.StoreSummary? summary = null;
        try
        {
            summary = await store.SummarizeAsync(settings.ConversionEvents, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The summary line is a nicety; the sections say what they could compute.
        }

        var html = Render(results, summary, store.Description, now);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        try
        {
            await File.WriteAllTextAsync(path, html, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out {path}: {ex.Message}");
        }

        return [.. results.Where(r => r.Error is not null).Select(r => (r.Section.Title, r.Error!))];
    }

    private sealed record Section(string Id, string Title, string Lead, bool Chart, Func<DateTime, IReport> Make);

    private sealed record SectionResult(Section Section, ReportTable? Table, string? Error);

    private static Section[] Sections(ProjectSettings settings, string? to)
    {
        var rules = settings.Aarrr;
        return
        [
            new("aarrr", "AARRR per month", "People acquired, activated, retained, paying and referred per month (the project file's aarrr: rules).", true, _ => new AarrrReport
            {
                To = to,
                TimeZone = settings.TimeZone,
                AcquisitionEvents = Join(rules.AcquisitionEvents),
                ActivationEvents = Join(rules.ActivationEvents),
                RetentionEvents = Join(rules.RetentionEvents),
                RevenueEvents = Join(rules.RevenueEvents),
                ReferralEvents = Join(rules.ReferralEvents),
                ReferredChannels = Join(rules.ReferredChannels),
            }),
            new("funnel", "Funnel", "People through the stages of the four_step model (awareness, interest, decision, action) within 90 days.", true, now =>
            {
                try
                {
                    return new FunnelRowsReport(new FunnelArguments
                    {
                        Steps = "awareness,interest,decision,action",
                        Model = Pretzel.Analytics.Stages.BuiltInModels.Find("four_step"),
                        Window = "90d",
                        To = to,
                    }.ToOptions(now));
                }
                catch (FunnelException ex)
                {
                    throw new PathException(ex.Message);
                }
            }),
            new("attribution", "Attribution by model", "Conversions credited to each channel by each attribution model, side by side.", true, _ => new AttributionReport { Compare = true, Paths = new PathArguments { To = to } }),
            new("roi", "Return on ad spend", "Cost, attributed conversions and revenue per channel (Markov attribution).", false, _ => new RoiReport { Paths = new PathArguments { To = to } }),
            new("retention", "Retention by cohort", "Share of each monthly cohort active again in each later period.", true, _ => new RetentionReport { To = to, TimeZone = settings.TimeZone }),
            new("loyalty", "Loyalty pyramid", "People per loyalty level, from prospects to advocates.", true, _ => new LoyaltyReport { To = to }),
            new("segments", "RFM segments", "Customers by recency, frequency and monetary value.", false, _ => new SegmentsReport { To = to, TimeZone = settings.TimeZone }),
            new("journey-map", "Journey map", "Per stage of the journey model: people reaching it, staying, moving on, and the touchpoints used there.", false, _ => new JourneyMapReport { To = to }),
        ];
    }

    private static string? Join(IReadOnlyList<string>? names) => names is null ? null : string.Join(',', names);

    private static string Render(List<SectionResult> results, Pretzel.Core.Storage.StoreSummary? summary, string storeName, DateTime now)
    {
        var echarts = Pretzel.Server.Dashboard.DashboardAssets.EChartsScript();
        var html = new StringBuilder(echarts?.Length + 200_000 ?? 200_000);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Pretzel report</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n<h1>Pretzel report</h1>\n<p class=\"lead\">")
            .Append(Encode($"Store {storeName}, written {now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC."));
        if (summary is not null)
        {
            html.Append(' ').Append(Encode(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Events:N0} events, {summary.People:N0} people, {summary.Channels:N0} channels, {summary.Conversions:N0} conversions, revenue {summary.Revenue:N2}.")));
        }

        html.Append("</p>\n<nav>");
        foreach (var r in results)
        {
            html.Append("<a href=\"#").Append(Encode(r.Section.Id)).Append("\">").Append(Encode(r.Section.Title)).Append("</a> ");
        }

        html.Append("</nav>\n</header>\n<main>\n");
        if (echarts is null)
        {
            html.Append("<p class=\"error\" id=\"no-charts\">This build has no charts: Apache ECharts comes from npm at build time. Install Node.js with npm and rebuild; the tables below are complete.</p>\n");
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            html.Append("<section id=\"").Append(Encode(r.Section.Id)).Append("\" data-section=\"").Append(Encode(r.Section.Id)).Append("\">\n<h2>")
                .Append(Encode(r.Section.Title)).Append("</h2>\n<p class=\"lead\">").Append(Encode(r.Section.Lead)).Append("</p>\n");
            if (r.Table is null)
            {
                html.Append("<p class=\"error\" role=\"alert\">Not available for this data: ").Append(Encode(r.Error ?? "unknown error")).Append("</p>\n</section>\n");
                continue;
            }

            if (r.Table.Rows.Count == 0)
            {
                html.Append("<p class=\"empty\">No rows for this data.</p>\n</section>\n");
                continue;
            }

            if (r.Section.Chart)
            {
                html.Append("<div class=\"chart\" data-chart=\"").Append(Encode(r.Section.Id)).Append("\"></div>\n");
                data[r.Section.Id] = new { columns = r.Table.Columns, rows = r.Table.Rows.Select(row => row.Select(JsonValue).ToArray()) };
            }

            Table(html, r.Table);
            html.Append("</section>\n");
        }

        html.Append("</main>\n<footer>Written by pretzel report. Self-contained: this file fetches nothing.</footer>\n");

        // The data: JSON in a non-executed script element. The default encoder writes <, > and & as \u escapes, so no
        // value can close the element; the replacement below is a second guard.
        var json = JsonSerializer.Serialize(data).Replace("</", "<\\/", StringComparison.Ordinal);
        html.Append("<script type=\"application/json\" id=\"pretzel-data\">").Append(json).Append("</script>\n");
        if (echarts is not null)
        {
            html.Append("<script>").Append(ScriptSafe(echarts)).Append("\n</script>\n");
        }

        html.Append("<script>").Append(DrawScript).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<div class=\"table\"><table>\n<thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th>").Append(Encode(column.Replace('_', ' '))).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows.Take(MaxTableRows))
        {
            html.Append("<tr>");
            foreach (var value in row)
            {
                html.Append(value is string or null ? "<td>" : "<td class=\"num\">").Append(Encode(Text(value))).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n");
        if (table.Rows.Count > MaxTableRows)
        {
            html.Append("<p class=\"note\">").Append(Encode(string.Create(CultureInfo.InvariantCulture, $"First {MaxTableRows:N0} of {table.Rows.Count:N0} rows."))).Append("</p>\n");
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d when !double.IsFinite(d) => "",
        double d => d.ToString(Math.Abs(d) >= 1000 ? "#,0.##" : "0.####", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.####", CultureInfo.InvariantCulture),
        decimal m => m.ToString("#,0.####", CultureInfo.InvariantCulture),
        long or int or short or ulong or uint => string.Format(CultureInfo.InvariantCulture, "{0:N0}", value),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object? JsonValue(object? value) => value switch
    {
        double d when !double.IsFinite(d) => null,
        float f when !float.IsFinite(f) => null,
        null or string or bool or double or float or decimal or long or int or short or ulong or uint or DateTime or DateTimeOffset => value,
        _ => Text(value),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // Inside <script>, only "</script" (any case) and "<!--" change how the HTML parser reads on; in JavaScript
    // "<\/" is "</" inside strings and regular expressions, the only places they can occur in minified code.
    private static string ScriptSafe(string script) =>
        script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)
            .Replace("</SCRIPT", "<\\/SCRIPT", StringComparison.Ordinal)
            .Replace("<!--", "<\\!--", StringComparison.Ordinal);

    private const string Css = """
        :root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --accent: #b5651d; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fafaf8; }
        header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
        header { padding-top: 24px; }
        h1 { margin: 0 0 4px; color: var(--accent); }
        h2 { margin: 0 0 4px; font-size: 1.25em; }
        .lead { color: var(--muted); margin: 0 0 12px; }
        nav a { color: var(--accent); margin-right: 12px; text-decoration: none; white-space: nowrap; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 20px 0; }
        .chart { width: 100%; height: 360px; margin-bottom: 12px; }
        .chart-missing { color: var(--muted); font-style: italic; }
        .table { overflow-x: auto; max-height: 480px; overflow-y: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
        th { position: sticky; top: 0; background: #f5f5f2; text-transform: capitalize; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .error { color: #9b1c1c; background: #fdecec; padding: 8px 12px; border-radius: 6px; }
        .empty, .note { color: var(--muted); }
        footer { color: var(--muted); padding-bottom: 32px; font-size: 13px; }
        @media print { section { break-inside: avoid; } .table { max-height: none; overflow: visible; } }

        """;

    private const string DrawScript = """

        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('pretzel-data').textContent);
          function col(t, name) { var i = t.columns.indexOf(name); return t.rows.map(function (r) { return i < 0 ? null : r[i]; }); }
          function unique(values) { var seen = []; values.forEach(function (v) { if (seen.indexOf(v) < 0) seen.push(v); }); return seen; }
          var base = { animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 20, top: 40, bottom: 60, containLabel: true } };
          function merge(extra) { var o = {}; Object.keys(base).forEach(function (k) { o[k] = base[k]; }); Object.keys(extra).forEach(function (k) { o[k] = extra[k]; }); return o; }
          var draw = {
            aarrr: function (t) {
              var names = ['acquired', 'activated', 'retained', 'paying', 'referred'].filter(function (n) { return t.columns.indexOf(n) >= 0; });
              return merge({ xAxis: { type: 'category', data: col(t, 'period') }, yAxis: { type: 'value', name: 'people' },
                series: names.map(function (n) { return { name: n, type: 'bar', data: col(t, n) }; }) });
            },
            funnel: function (t) {
              return merge({ legend: { show: false }, xAxis: { type: 'category', data: col(t, 'name') }, yAxis: { type: 'value', name: 'people' },
                series: [{ name: 'entered', type: 'bar', data: col(t, 'entered'), label: { show: true, position: 'top' } }] });
            },
            attribution: function (t) {
              var models = t.columns.filter(function (c) { return /_conversions$/.test(c); });
              return merge({ xAxis: { type: 'category', data: col(t, 'channel'), axisLabel: { rotate: 30 } }, yAxis: { type: 'value', name: 'conversions' },
                series: models.map(function (m) { return { name: m.replace(/_conversions$/, '').replace(/_/g, ' '), type: 'bar', data: col(t, m).map(function (v) { return v === null ? 0 : Math.round(v * 100) / 100; }) }; }) });
            },
            retention: function (t) {
              var cohorts = col(t, 'cohort').map(String), periods = col(t, 'period').map(String), values = col(t, 'retention');
              var xs = unique(periods).sort(function (a, b) { return Number(a) - Number(b); }), ys = unique(cohorts);
              var points = values.map(function (v, i) { return [xs.indexOf(periods[i]), ys.indexOf(cohorts[i]), v === null ? '-' : Math.round(v * 1000) / 10]; });
              return { animation: false, tooltip: { position: 'top' }, grid: { left: 80, right: 20, top: 20, bottom: 80 },
                xAxis: { type: 'category', data: xs, name: 'period' }, yAxis: { type: 'category', data: ys, inverse: true },
                visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, text: ['100%', '0%'] },
                series: [{ name: 'retention %', type: 'heatmap', data: points, label: { show: xs.length <= 16, fontSize: 10 } }] };
            },
            loyalty: function (t) {
              // The ladder, advocates on top and prospects at the base; refused and churned people leave it (see the table).
              var levels = col(t, 'level'), people = col(t, 'people'), steps = [];
              levels.forEach(function (l, i) { if (l !== 'refused' && l !== 'churned') steps.unshift({ name: String(l).replace(/_/g, ' '), value: people[i] }); });
              return { animation: false, tooltip: { trigger: 'item', formatter: '{b}: {c} people' },
                series: [{ name: 'people', type: 'funnel', sort: 'none', left: '15%', width: '70%', minSize: '12%', gap: 2,
                  label: { show: true, position: 'inside', formatter: '{b}: {c}' }, data: steps }] };
            }
          };
          var charts = [];
          document.querySelectorAll('[data-chart]').forEach(function (el) {
            var name = el.getAttribute('data-chart');
            if (typeof echarts === 'undefined') { el.className = 'chart-missing'; el.textContent = 'Chart not available in this build (no Apache ECharts).'; return; }
            if (!data[name] || !draw[name]) return;
            var chart = echarts.init(el, null, { renderer: 'canvas' });
            chart.setOption(draw[name](data[name]));
            charts.push(chart);
          });
          window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
        })();

        """;
}
