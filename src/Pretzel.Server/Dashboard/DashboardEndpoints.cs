using System.Net;
using System.Reflection;
using Pretzel.Server.Collect;
using Pretzel.Server.Http;
using Pretzel.Server.Projects;

namespace Pretzel.Server.Dashboard;

/// <summary>
/// The web dashboard: <c>GET /</c> is the sign-in page or, with a live session, the dashboard;
/// <c>POST /sign-in</c> trades a read key for an HttpOnly, SameSite=Strict session cookie;
/// <c>POST /sign-out</c> ends it; <c>/dashboard/*</c> serves the page's scripts, styles and ECharts,
/// all embedded in the server (nothing is fetched from elsewhere at run time). The page's scripts read
/// the query API (<c>GET /api/v1/*</c>), which accepts the session cookie for reads.
/// </summary>
internal static class DashboardEndpoints
{
    private const string ResourcePrefix = "dashboard/";

    // The pages run only their own scripts; ECharts sets element styles, hence 'unsafe-inline' for styles only.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    internal static void Map(WebApplication app)
    {
        var assets = ReadAssets();
        var signInPage = System.Text.Encoding.UTF8.GetString(assets["sign-in.html"].Content);

        app.MapGet("/", (HttpContext context, ProjectHub hub, DashboardSessions sessions) =>
            {
                var key = sessions.ReadKey(context.Request.Cookies[DashboardSessions.CookieName]);
                var (project, _) = KeyAuth.Check(hub.Registry, key, KeyKind.Read);
                return project is null
                    ? Page(context, SignIn(signInPage, null), StatusCodes.Status200OK)
                    : Page(context, assets["index.html"].Content, StatusCodes.Status200OK);
            })
            .ExcludeFromDescription();

        app.MapPost("/sign-in", async (HttpContext context, ProjectHub hub, DashboardSessions sessions) =>
            {
                if (!SameOrigin(context.Request))
                {
                    return Page(context, SignIn(signInPage, "This sign-in came from another site and was refused. Open this page directly and sign in here."), StatusCodes.Status403Forbidden);
                }

                var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
                var key = form?["key"].ToString().Trim();
                if (string.IsNullOrEmpty(key))
                {
                    return Page(context, SignIn(signInPage, "Enter the project's read key (it starts with pzr_)."), StatusCodes.Status400BadRequest);
                }

                var (project, _) = KeyAuth.Check(hub.Registry, key, KeyKind.Read);
                if (project is null)
                {
                    var message = hub.Registry.Find(key) is { Kind: KeyKind.Write } hit
                        ? $"That is the write key of project '{hit.Project.Name}'. The dashboard needs its read key (pzr_…)."
                        : "That key was refused: it is not the read key of any project on this server.";
                    return Page(context, SignIn(signInPage, message), StatusCodes.Status401Unauthorized);
                }

                context.Response.Cookies.Append(DashboardSessions.CookieName, sessions.Start(key), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                    MaxAge = DashboardSessions.Lifetime,
                    IsEssential = true,
                });
                return Results.Redirect("/", permanent: false, preserveMethod: false);
            })
            .DisableAntiforgery()
            .ExcludeFromDescription();

        app.MapPost("/sign-out", (HttpContext context, DashboardSessions sessions) =>
            {
                if (!SameOrigin(context.Request))
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }

                sessions.End(context.Request.Cookies[DashboardSessions.CookieName]);
                context.Response.Cookies.Delete(DashboardSessions.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });
                return Results.Redirect("/", permanent: false, preserveMethod: false);
            })
            .DisableAntiforgery()
            .ExcludeFromDescription();

        app.MapGet("/dashboard/{**file}", (HttpContext context, string file) =>
            {
                if (!assets.TryGetValue(file, out var asset) || file.EndsWith(".html", StringComparison.Ordinal))
                {
                    return Results.NotFound();
                }

                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
            })
            .ExcludeFromDescription();
    }

    /// <summary>
    /// A sign-in must come from this server's own page: a browser names the page's origin in <c>Origin</c>
    /// (and <c>Sec-Fetch-Site</c>) on every form POST, so a form on another site is refused. Clients that
    /// send neither (curl) are not browsers and cannot carry a victim's cookie, so they pass.
    /// </summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return origin != "null" && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin" or "none";
    }

    private static byte[] SignIn(string template, string? message) =>
        System.Text.Encoding.UTF8.GetBytes(template.Replace("<!--message-->",
            message is null ? "" : $"<p class=\"error\" id=\"sign-in-error\" role=\"alert\">{WebUtility.HtmlEncode(message)}</p>", StringComparison.Ordinal));

    private static IResult Page(HttpContext context, byte[] html, int status)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the sign-in POST.
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        context.Response.Headers.XFrameOptions = "DENY";
        return Results.Bytes(html, "text/html; charset=utf-8").WithStatus(status);
    }

    private static IResult WithStatus(this IResult result, int status) => new StatusResult(result, status);

    private static Dictionary<string, Asset> ReadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[ResourcePrefix.Length..].Replace('\\', '/');
            var content = copy.ToArray();
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content))[..16];
            assets[file] = new Asset(content, ContentType(file), new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{hash}\""));
        }

        foreach (var needed in new[] { "index.html", "sign-in.html", "app.js" })
        {
            if (!assets.ContainsKey(needed))
            {
                throw new InvalidOperationException($"dashboard asset {needed} is missing from the build");
            }
        }

        if (!assets.ContainsKey("echarts.min.js"))
        {
            // Built without npm: the pages still work and each chart says why it is missing (charts.js).
            var stub = "window.pretzelChartsMissing = 'This build has no charts: Apache ECharts comes from npm at build time. Install Node.js with npm and rebuild.';\n"u8.ToArray();
            assets["echarts.min.js"] = new Asset(stub, ContentType("echarts.min.js"), new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"no-echarts\""));
        }

        return assets;
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, Microsoft.Net.Http.Headers.EntityTagHeaderValue ETag);

    private sealed class StatusResult(IResult inner, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
