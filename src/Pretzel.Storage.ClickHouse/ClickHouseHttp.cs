using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse;

/// <summary>One ClickHouse server of a store, reached over HTTP.</summary>
internal sealed record ClickHouseNode(string Host, int Port, int Shard, int Replica)
{
    internal Uri BaseUri { get; } = new($"http://{ClickHouseStoreOptions.FormatHostPort(Host, Port)}/");

    public override string ToString() => ClickHouseStoreOptions.FormatHostPort(Host, Port);
}

/// <summary>
/// ClickHouse's HTTP interface: the statement goes in the body (or, for an INSERT with data, in the
/// <c>query</c> parameter with the TSV rows as the body), settings as URL parameters. A failure becomes a
/// <see cref="StoreException"/> carrying the server's message.
/// </summary>
internal sealed partial class ClickHouseHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly AuthenticationHeaderValue? _auth;

    internal ClickHouseHttp(ClickHouseStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // ClickHouse closes idle keep-alive connections after keep_alive_timeout (3 s by default):
            // drop ours sooner, so a request never goes out on a connection the server is closing.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { Timeout = options.Timeout };
        if (options.User is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.User + ":" + (options.Password ?? string.Empty)));
            _auth = new AuthenticationHeaderValue("Basic", token);
        }
    }

    /// <summary>Answers true when the node says "Ok." on <c>/ping</c>; otherwise what it said instead.</summary>
    internal async Task<string?> PingAsync(ClickHouseNode node, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseUri, "ping"));
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode && body.Trim() == "Ok." ? null : $"HTTP {(int)response.StatusCode}: {ClickHouseResultReader.Preview(body)}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer in time";
        }
    }

    /// <summary>Runs one statement and returns the answer's text (for SELECTs, in the format asked for).</summary>
    internal Task<string> SendAsync(
        ClickHouseNode node,
        string sql,
        IReadOnlyDictionary<string, string>? parameters,
        CancellationToken cancellationToken,
        bool retry = true) =>
        SendCoreAsync(node, parameters, null, sql, retry, ReadText, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>
    /// Runs one SELECT and hands its answer to <paramref name="read"/> as a stream while it arrives, for answers too
    /// large to hold as text (the event columns).
    /// </summary>
    internal Task<T> SendStreamingAsync<T>(
        ClickHouseNode node,
        string sql,
        IReadOnlyDictionary<string, string>? parameters,
        Func<Stream, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken) =>
        SendCoreAsync(node, parameters, null, sql, retry: true, async (content, ct) =>
        {
            var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    return await read(stream, ct).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new StoreException($"the answer from ClickHouse at {node} broke off: {ex.Message}", ex);
                }
            }
        }, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private static Task<string> ReadText(HttpContent content, CancellationToken cancellationToken) => content.ReadAsStringAsync(cancellationToken);

    /// <summary>Runs <paramref name="insertSql"/> (<c>INSERT … FORMAT TabSeparated</c>) with <paramref name="rows"/> as its data.</summary>
    internal Task<string> InsertAsync(
        ClickHouseNode node,
        string insertSql,
        ReadOnlyMemory<byte> rows,
        IReadOnlyDictionary<string, string>? parameters,
        CancellationToken cancellationToken,
        bool retry) =>
        SendCoreAsync(node, parameters, insertSql, rows, retry, ReadText, HttpCompletionOption.ResponseContentRead, cancellationToken);

    private async Task<T> SendCoreAsync<T>(
        ClickHouseNode node,
        IReadOnlyDictionary<string, string>? parameters,
        string? queryParameter,
        object body,
        bool retry,
        Func<HttpContent, CancellationToken, Task<T>> read,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var url = new StringBuilder(node.BaseUri.ToString()).Append('?');
        var first = true;
        void Add(string key, string value)
        {
            url.Append(first ? string.Empty : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        if (parameters is not null)
        {
            foreach (var (key, value) in parameters)
            {
                Add(key, value);
            }
        }

        if (queryParameter is not null)
        {
            Add("query", queryParameter);
        }

        var uri = new Uri(url.ToString());
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = body is string sql
                    ? new StringContent(sql, Encoding.UTF8, "text/plain")
                    : new ReadOnlyMemoryContent((ReadOnlyMemory<byte>)body),
            };
            request.Headers.Authorization = _auth;
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (retry && attempt == 1)
            {
                // A keep-alive connection the server closed just as the request went out: once more on a new one.
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new StoreException($"cannot reach ClickHouse at {node}: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StoreException($"ClickHouse at {node} did not answer within {_client.Timeout.TotalSeconds:0} s", ex);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new StoreException(Describe(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), node));
                }

                return await read(response.Content, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The server's message without the exception boilerplate: 18.x writes
    /// <c>Code: 60, e.displayText() = DB::Exception: MESSAGE, e.what() = DB::Exception</c>, newer versions
    /// <c>Code: 60. DB::Exception: MESSAGE. (UNKNOWN_TABLE) (version …)</c>.
    /// </summary>
    internal static string Describe(string body, ClickHouseNode? node = null)
    {
        var text = body.Trim();
        var match = ErrorPattern().Match(text);
        string message;
        if (match.Success)
        {
            message = match.Groups["message"].Value.Trim();
            var version = message.IndexOf(" (version ", StringComparison.Ordinal);
            if (version > 0)
            {
                message = message[..version];
            }

            message = $"{message} (ClickHouse error {match.Groups["code"].Value}{(node is null ? string.Empty : " at " + node)})";
        }
        else
        {
            message = $"ClickHouse{(node is null ? string.Empty : " at " + node)} refused the request: {ClickHouseResultReader.Preview(text)}";
        }

        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }

    [GeneratedRegex(@"^Code:\s*(?<code>\d+)[,.]\s*(?:e\.displayText\(\)\s*=\s*)?(?:DB::Exception:\s*)?(?<message>.*?)(?:,\s*e\.what\(\)\s*=\s*[\w:]+)?\s*$", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();

    public void Dispose() => _client.Dispose();
}
