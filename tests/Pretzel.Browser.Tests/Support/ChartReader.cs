using System.Text.Json;
using Microsoft.Playwright;

namespace Pretzel.Browser.Tests.Support;

/// <summary>What a chart draws, read back from its ECharts instance on the page.</summary>
/// <param name="Points">Data points with a non-zero value (for a heatmap cell, its last coordinate; Sankey links count too).</param>
/// <param name="Links">Links or edges (Sankey and graph).</param>
/// <param name="Sum">The sum of the points' values.</param>
/// <param name="Bright">Edges highlighted as bright paths.</param>
/// <param name="Holes">Nodes ringed as black holes.</param>
/// <param name="Tooltip">Whether the chart shows tooltips.</param>
/// <param name="Label">Its accessible label.</param>
internal sealed record ChartInfo(int Points, int Links, double Sum, int Bright, int Holes, bool Tooltip, string Label);

/// <summary>Reads the dashboard's and the report's charts (<c>[data-chart=NAME]</c>) back from ECharts.</summary>
internal static class ChartReader
{
    /// <summary>What chart <paramref name="name"/> draws; fails when it is not on the page or drew no canvas.</summary>
    internal static async Task<ChartInfo> ReadAsync(IPage page, string name)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            """
            name => {
              const element = document.querySelector(`[data-chart="${name}"]`);
              if (!element) return { found: false };
              const chart = echarts.getInstanceByDom(element);
              const option = chart ? chart.getOption() : { series: [] };
              const value = (v) => { const x = v?.value ?? v; return Array.isArray(x) ? Number(x[x.length - 1]) : Number(x); };
              let points = 0, links = 0, sum = 0, bright = 0, holes = 0;
              for (const s of option.series) {
                for (const v of (s.data || [])) {
                  if (v === null || v === undefined) continue;
                  const n = value(v);
                  if (Number.isFinite(n) && n !== 0) { points++; sum += n; }
                  if (v.itemStyle && v.itemStyle.borderColor === '#c0392b') holes++;
                }
                for (const l of (s.links || s.edges || [])) {
                  links++;
                  const n = Number(l.value);
                  if (s.type === 'sankey' && Number.isFinite(n) && n !== 0) { points++; sum += n; }
                  if (l.lineStyle && l.lineStyle.color === '#1a66d6') bright++;
                }
              }
              return { found: true, canvas: !!element.querySelector('canvas, svg'), points, links, sum, bright, holes,
                tooltip: !!(option.tooltip && option.tooltip.length && option.tooltip[0].show !== false), label: element.getAttribute('aria-label') || '' };
            }
            """, name);
        Assert.True(json.GetProperty("found").GetBoolean(), $"chart '{name}' is not on the page");
        Assert.True(json.GetProperty("canvas").GetBoolean(), $"chart '{name}' drew no canvas");
        return new ChartInfo(json.GetProperty("points").GetInt32(), json.GetProperty("links").GetInt32(), json.GetProperty("sum").GetDouble(),
            json.GetProperty("bright").GetInt32(), json.GetProperty("holes").GetInt32(), json.GetProperty("tooltip").GetBoolean(), json.GetProperty("label").GetString() ?? "");
    }

    /// <summary>Data points behind chart <paramref name="name"/> (see <see cref="ChartInfo.Points"/>).</summary>
    internal static async Task<int> PointsAsync(IPage page, string name) => (await ReadAsync(page, name)).Points;

    /// <summary>The categories of the first x or y axis of chart <paramref name="name"/>, joined.</summary>
    internal static Task<string> AxisAsync(IPage page, string name, string axis) =>
        page.EvaluateAsync<string>(
            "([name, axis]) => echarts.getInstanceByDom(document.querySelector(`[data-chart=\"${name}\"]`)).getOption()[axis][0].data.join('|')",
            new[] { name, axis });
}
