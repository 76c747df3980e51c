using System.Text;
using Pretzel.Server.Dashboard;
using Pretzel.Server.Projects;

namespace Pretzel.Server.Http;

/// <summary>
/// Finds the API key of a request: the user name of HTTP Basic auth (Segment's convention, password
/// empty), or a Bearer token. Collector requests may instead carry <c>writeKey</c> in the body, as
/// analytics.js and the Pretzel snippet do to avoid a CORS preflight.
/// </summary>
internal static class KeyAuth
{
    /// <summary>
    /// The read key of a query request: from the Authorization header, else, for GET and HEAD only, from the
    /// dashboard's session cookie. Cookies are never accepted for writes (POST /api/v1/sql included): the
    /// cookie is SameSite=Strict and reads change nothing, so a forged cross-site request gains nothing.
    /// </summary>
    internal static string? ReadKey(HttpContext context)
    {
        if (FromHeader(context.Request) is { } key)
        {
            return key;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return null;
        }

        return context.Request.Cookies.TryGetValue(DashboardSessions.CookieName, out var token)
            ? context.RequestServices.GetService<DashboardSessions>()?.ReadKey(token)
            : null;
    }

    internal static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                var user = colon < 0 ? decoded : decoded[..colon];
                return user.Length > 0 ? user : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            return token.Length > 0 ? token : null;
        }

        return null;
    }

    /// <summary>Checks <paramref name="key"/> against the registry for the <paramref name="needed"/> kind; null result is the failure to return.</summary>
    internal static (ProjectRecord? Project, IResult? Failure) Check(ProjectRegistry registry, string? key, KeyKind needed)
    {
        if (key is null)
        {
            return (null, ApiJson.Failure(StatusCodes.Status401Unauthorized, "missing_key",
                needed == KeyKind.Write
                    ? "no write key: send it as the Basic-auth user name (or as writeKey in the body)"
                    : "no read key: send it as a Bearer token or the Basic-auth user name (or sign in to the dashboard at /)"));
        }

        if (registry.Find(key) is not { } hit)
        {
            return (null, ApiJson.Failure(StatusCodes.Status401Unauthorized, "invalid_key", "the key belongs to no project on this server"));
        }

        if (hit.Kind != needed)
        {
            return (null, ApiJson.Failure(StatusCodes.Status403Forbidden, "wrong_key",
                needed == KeyKind.Write
                    ? $"that is the read key of project '{hit.Project.Name}'; sending events needs its write key"
                    : $"that is the write key of project '{hit.Project.Name}'; queries need its read key"));
        }

        return (hit.Project, null);
    }
}
