namespace Pretzel.Ingest.Demo;

/// <summary>The site's pages: names (the <c>page</c> events' name), and cached <c>{"path":…}</c> properties.</summary>
internal static class DemoPages
{
    public const string Home = "home";
    public const string Blog = "blog";
    public const string Features = "features";
    public const string Pricing = "pricing";
    public const string Docs = "docs";
    public const string Careers = "careers";
    public const string Signup = "signup";
    public const string Login = "login";
    public const string Demo = "demo";
    public const string Account = "account";

    private static readonly string[] BlogPosts =
    [
        "/blog/customer-journey-mapping", "/blog/multi-touch-attribution", "/blog/why-funnels-leak",
        "/blog/retention-cohorts", "/blog/markov-attribution-explained", "/blog/offline-touchpoints",
    ];

    private static readonly string[] DocsPages = ["/docs/getting-started", "/docs/tracking-plan", "/docs/identity", "/docs/api"];

    private static readonly Dictionary<string, string> Single = new()
    {
        [Home] = Path("/"),
        [Features] = Path("/features"),
        [Pricing] = Path("/pricing"),
        [Careers] = Path("/careers"),
        [Signup] = Path("/signup"),
        [Login] = Path("/login"),
        [Demo] = Path("/demo"),
        [Account] = Path("/account"),
    };

    private static readonly string[] BlogProperties = Array.ConvertAll(BlogPosts, Path);
    private static readonly string[] DocsProperties = Array.ConvertAll(DocsPages, Path);

    /// <summary>The <c>properties</c> of a view of <paramref name="page"/>.</summary>
    public static string Properties(string page, DemoRandom rng) => page switch
    {
        Blog => BlogProperties[rng.Next(BlogProperties.Length)],
        Docs => DocsProperties[rng.Next(DocsProperties.Length)],
        _ => Single[page],
    };

    /// <summary>The URL path of a single-path page (not <see cref="Blog"/> or <see cref="Docs"/>), for properties that add more than the path.</summary>
    public static string UrlPath(string page) => page == Home ? "/" : "/" + page;

    // The paths are fixed ASCII without characters JSON needs to escape.
    private static string Path(string path) => "{\"path\":\"" + path + "\",\"url\":\"" + Site + path + "\"}";

    /// <summary>The demo business's web site; pages after the landing page have it as their referrer.</summary>
    public const string Site = "https://www.pretzel-demo.example";
}
