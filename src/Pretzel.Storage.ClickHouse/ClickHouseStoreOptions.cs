using System.Globalization;
using System.Text;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse;

/// <summary>
/// Where a <see cref="ClickHouseEventStore"/> lives. Written as a store URL:
/// <c>clickhouse://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?cluster=NAME][&amp;nodes=HOST:PORT,…][&amp;pushdown=off]</c>,
/// where PORT is ClickHouse's HTTP port (8123 when left out).
/// </summary>
public sealed record ClickHouseStoreOptions
{
    /// <summary>ClickHouse's usual HTTP port, used when the URL names none.</summary>
    public const int DefaultPort = 8123;

    private const string Scheme = "clickhouse://";
    private const string Example = "clickhouse://127.0.0.1:8123/pretzel?cluster=NAME";

    /// <summary>Host of the server the store talks to (its HTTP interface).</summary>
    public required string Host { get; init; }

    /// <summary>HTTP port of that server.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The database holding Pretzel's tables; created on open when missing.</summary>
    public required string Database { get; init; }

    /// <summary>
    /// A cluster from the servers' <c>remote_servers</c>: events then live in <c>events_local</c> on every
    /// node behind a Distributed <c>events</c> table. Null: one server, <c>events</c> is the MergeTree table.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// HTTP endpoints (<c>host:port</c>) of every node of <see cref="Cluster"/>, when they cannot be derived
    /// from <c>system.clusters</c> (see <see cref="ClickHouseEventStore"/>). Null: derived.
    /// </summary>
    public IReadOnlyList<string>? Nodes { get; init; }

    /// <summary>
    /// Whether analyses that have a SQL form run inside ClickHouse (only their counts travel) rather than as
    /// Pretzel's kernels over every event's columns. On by default; <c>pushdown=off</c> in the URL turns it off
    /// (to compare the two ways, which must answer alike).
    /// </summary>
    public bool PushDown { get; init; } = true;

    /// <summary>ClickHouse user (HTTP basic authentication); null for the server's <c>default</c> user.</summary>
    public string? User { get; init; }

    /// <summary>Password of <see cref="User"/>.</summary>
    public string? Password { get; init; }

    /// <summary>How long one request may take before the store gives up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The URL of these options, without the password.</summary>
    public override string ToString()
    {
        var url = new StringBuilder(Scheme);
        if (User is not null)
        {
            url.Append(Uri.EscapeDataString(User)).Append('@');
        }

        url.Append(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)
            .Append(':').Append(Port.ToString(CultureInfo.InvariantCulture))
            .Append('/').Append(Database);
        var separator = '?';
        if (Cluster is not null)
        {
            url.Append(separator).Append("cluster=").Append(Cluster);
            separator = '&';
        }

        if (Nodes is { Count: > 0 })
        {
            url.Append(separator).Append("nodes=").Append(string.Join(',', Nodes));
            separator = '&';
        }

        if (!PushDown)
        {
            url.Append(separator).Append("pushdown=off");
        }

        return url.ToString();
    }

    /// <summary>Parses a store URL, naming the part that is wrong when it is not valid.</summary>
    /// <exception cref="StoreException">The URL is not a valid ClickHouse store URL.</exception>
    public static ClickHouseStoreOptions Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(url, "must start with clickhouse://");
        }

        var rest = text[Scheme.Length..];
        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[(slash + 1)..];

        string? user = null;
        string? password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            if (user.Length == 0)
            {
                throw Bad(url, "has an empty user name before '@'");
            }
        }

        var (host, port) = ParseHostPort(authority, url, "host");

        if (path.Length == 0)
        {
            throw Bad(url, "names no database: add /DATABASE after the host and port");
        }

        if (path.Contains('/', StringComparison.Ordinal))
        {
            throw Bad(url, $"has more than one path segment ('{path}'): the path is just /DATABASE");
        }

        var database = Uri.UnescapeDataString(path);
        if (!ClickHouseSql.IsPlainName(database))
        {
            throw Bad(url, $"names database '{database}': use letters, digits and '_', not starting with a digit");
        }

        string? cluster = null;
        List<string>? nodes = null;
        var pushDown = true;
        if (query is not null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                if (!seen.Add(key))
                {
                    throw Bad(url, $"gives option '{key}' twice");
                }

                switch (key)
                {
                    case "cluster":
                        if (!ClickHouseSql.IsClusterName(value))
                        {
                            throw Bad(url, value.Length == 0
                                ? "has an empty cluster name: write ?cluster=NAME, NAME from the servers' remote_servers"
                                : $"names cluster '{value}': use letters, digits, '_', '-' and '.'");
                        }

                        cluster = value;
                        break;
                    case "nodes":
                        nodes = [];
                        foreach (var node in value.Split(',', StringSplitOptions.TrimEntries))
                        {
                            var (h, p) = ParseHostPort(node, url, "node");
                            nodes.Add(FormatHostPort(h, p));
                        }

                        break;
                    case "pushdown":
                        pushDown = value switch
                        {
                            "on" or "true" or "1" => true,
                            "off" or "false" or "0" => false,
                            _ => throw Bad(url, $"has pushdown '{value}': use pushdown=on or pushdown=off"),
                        };
                        break;
                    default:
                        throw Bad(url, $"has unknown option '{key}': the options are cluster, nodes and pushdown");
                }
            }
        }

        if (nodes is not null && cluster is null)
        {
            throw Bad(url, "gives nodes= without cluster=: nodes lists the HTTP endpoints of a cluster's servers");
        }

        return new ClickHouseStoreOptions
        {
            Host = host,
            Port = port,
            Database = database,
            Cluster = cluster,
            Nodes = nodes,
            PushDown = pushDown,
            User = user,
            Password = password,
        };
    }

    /// <summary>Parses <c>host[:port]</c> or <c>[v6]:port</c>; <paramref name="what"/> names it in errors.</summary>
    internal static (string Host, int Port) ParseHostPort(string text, string url, string what)
    {
        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(url, $"has {what} '{text}' with an unclosed '['");
            }

            host = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    throw Bad(url, $"has {what} '{text}': expected ':PORT' after ']'");
                }

                portText = after[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw Bad(url, what == "host" ? "names no host: write clickhouse://HOST:PORT/DATABASE" : $"has a {what} with no host ('{text}')");
        }

        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':'))
            {
                throw Bad(url, $"has {what} '{host}' with the character '{c}'");
            }
        }

        var port = DefaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw Bad(url, $"has port '{portText}' for {what} '{host}': a port is a number from 1 to 65535 (ClickHouse's HTTP port, usually 8123)");
        }

        return (host, port);
    }

    internal static string FormatHostPort(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    private static StoreException Bad(string url, string problem) =>
        new($"store URL '{Redact(url)}' {problem} (expected {Example})");

    /// <summary>The URL with any password replaced, for messages.</summary>
    private static string Redact(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', StringComparison.Ordinal);
        if (start < 0 || at < 0)
        {
            return url;
        }

        var colon = url.IndexOf(':', start + 3);
        return colon > 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }
}
