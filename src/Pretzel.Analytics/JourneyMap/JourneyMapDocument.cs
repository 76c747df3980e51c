using System.Globalization;
using System.Net;
using System.Text;

namespace Pretzel.Analytics.JourneyMap;

/// <summary>
/// Writes a <see cref="JourneyMap"/> as a document a marketer can share: a Markdown table, or one self-contained HTML
/// page (inline CSS, no scripts, no external assets) with the stages × touchpoints grid and gaps highlighted. Every
/// name from the data or the model is escaped.
/// </summary>
public static class JourneyMapDocument
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The map as Markdown: a title, how to read it, and one table row per stage.</summary>
    public static string Markdown(JourneyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var md = new StringBuilder();
        md.Append("# Customer-journey map: ").Append(Md(map.Model)).Append("\n\n");
        md.Append(Invariant, $"Per stage: people who reached it, who are in it now, the share who went on to the next stage, the median days spent in it, and the top {map.Top} {KindName(map)}s people used while in it (people who used each). A **gap** is a stage no touchpoint reaches.\n\n");
        md.Append("| # | stage | reached | now here | to next stage | median days | touchpoints | gap |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---|---|\n");
        foreach (var stage in map.Stages)
        {
            var touches = string.Join(" · ", map.TopOf(stage).Select(t => $"{Md(t.Touchpoint)} {Count(t.People)}"));
            md.Append(Invariant, $"| {stage.Index} | {Md(stage.Stage)} | {Count(stage.Reached)} | {Count(stage.Current)} | {Percent(stage.ConversionToNext)} | {Days(stage.MedianDaysInStage)} | {(touches.Length == 0 ? "–" : touches)} | {(stage.Gap ? "**gap**" : "")} |\n");
        }

        return md.ToString();
    }

    /// <summary>The map as one self-contained HTML page.</summary>
    public static string Html(JourneyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var max = Math.Max(1, map.Stages.SelectMany(s => s.Touchpoints).Select(t => t.People).DefaultIfEmpty(0).Max());
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        html.Append("<title>Customer-journey map: ").Append(H(map.Model)).Append("</title>\n");
        html.Append("""
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1f2933; }
            h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
            p.lead { color: #52606d; max-width: 60rem; }
            table { border-collapse: collapse; margin-top: 1rem; }
            th, td { border: 1px solid #d9e2ec; padding: 0.4rem 0.6rem; text-align: right; vertical-align: top; }
            th { background: #f0f4f8; font-weight: 600; }
            th.stage, td.stage { text-align: left; white-space: nowrap; }
            td.touch small { display: block; color: #7b8794; }
            td.none { color: #bcccdc; text-align: center; }
            tr.gap td { background: #fff5f5; }
            tr.gap td.stage { border-left: 4px solid #e12d39; }
            span.badge { background: #e12d39; color: #fff; border-radius: 0.6rem; padding: 0 0.5rem; font-size: 0.8rem; margin-left: 0.4rem; }
            footer { margin-top: 1rem; color: #7b8794; font-size: 0.85rem; }
            </style>

            """);
        html.Append("</head>\n<body>\n");
        html.Append("<h1>Customer-journey map: ").Append(H(map.Model)).Append("</h1>\n");
        html.Append(Invariant, $"<p class=\"lead\">Per stage: people who reached it, who are in it now, the share who went on to the next stage and the median days spent in it; then the {H(KindName(map))}s people used while in the stage (people, with events below), the top {map.Top} of every stage. Stages marked <span class=\"badge\">gap</span> have no touchpoint: nothing reaches people while they are there.</p>\n");
        html.Append("<table>\n<thead>\n<tr><th class=\"stage\">stage</th><th>reached</th><th>now here</th><th>to next stage</th><th>median days</th>");
        foreach (var column in map.Columns)
        {
            html.Append("<th>").Append(H(column)).Append("</th>");
        }

        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var stage in map.Stages)
        {
            html.Append(stage.Gap ? "<tr class=\"gap\">" : "<tr>");
            html.Append(Invariant, $"<td class=\"stage\">{stage.Index}. {H(stage.Stage)}{(stage.Gap ? "<span class=\"badge\">gap</span>" : "")}</td>");
            html.Append(Invariant, $"<td>{Count(stage.Reached)}</td><td>{Count(stage.Current)}</td><td>{Percent(stage.ConversionToNext)}</td><td>{Days(stage.MedianDaysInStage)}</td>");
            foreach (var column in map.Columns)
            {
                var touch = stage.Touchpoints.FirstOrDefault(t => t.Touchpoint == column);
                if (touch is null)
                {
                    html.Append("<td class=\"none\">–</td>");
                    continue;
                }

                // Shade by people, relative to the busiest cell of the map.
                var alpha = (0.08 + (0.5 * touch.People / max)).ToString("0.00", Invariant);
                html.Append(Invariant, $"<td class=\"touch\" style=\"background: rgba(39, 171, 131, {alpha})\">{Count(touch.People)}<small>{Count(touch.Events)} events</small></td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append(Invariant, $"<footer>Made with Pretzel (<code>pretzel journey-map --model {H(map.Model)} --touch {H(KindName(map))}</code>). Touchpoints outside a stage's top {map.Top} are shown when another stage has them in its top.</footer>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string KindName(JourneyMap map) => map.Kind == TouchpointKind.Channel ? "channel" : "event";

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static string Md(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    private static string Count(long n) => n.ToString("N0", Invariant);

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", Invariant) + "%" : "–";

    private static string Days(double? days) => days is { } d ? d.ToString("0.0", Invariant) : "–";
}
