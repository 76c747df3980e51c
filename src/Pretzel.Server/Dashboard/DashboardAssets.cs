using System.Reflection;

namespace Pretzel.Server.Dashboard;

/// <summary>The dashboard's embedded files, for other hosts of its charts (e.g. <c>pretzel report</c>, which inlines ECharts into one HTML file).</summary>
public static class DashboardAssets
{
    /// <summary>Apache ECharts (<c>dashboard/echarts.min.js</c>) as embedded at build time, or null when the build had no npm.</summary>
    public static string? EChartsScript()
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("dashboard/echarts.min.js");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Whether this build embeds Apache ECharts.</summary>
    public static bool HasECharts => typeof(DashboardAssets).Assembly.GetManifestResourceInfo("dashboard/echarts.min.js") is not null;
}
