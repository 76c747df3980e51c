using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pretzel.Core.Storage;

namespace Pretzel.Cli;

/// <summary>Runs read commands through a running <c>pretzel serve</c> (which holds the store) with a project's read key.</summary>
internal static class ServerClient
{
    internal static async Task<QueryResult> QueryAsync(string server, string? key, string sql, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw CliException.Usage("--server needs the project's read key: pass --key READ_KEY (or set PRETZEL_KEY)");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"--server {server}: expected an http:// or https:// URL");
        }

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/sql") { Content = JsonContent.Create(new { sql }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the server at {server}: {ex.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                try
                {
                    using var error = JsonDocument.Parse(body);
                    if (error.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        message = m.GetString()!;
                    }
                }
                catch (JsonException)
                {
                }

                var status = (int)response.StatusCode;
                throw new CliException($"server {server}: {message}", status is 401 or 403 ? CliException.UsageError : CliException.RuntimeError);
            }

            using var doc = JsonDocument.Parse(body);
            var columns = response.Headers.TryGetValues("Pretzel-Columns", out var header)
                ? JsonSerializer.Deserialize<string[]>(header.First()) ?? []
                : doc.RootElement.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } first
                    ? [.. first.EnumerateObject().Select(p => p.Name)]
                    : [];
            var rows = new List<object?[]>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var row = new object?[columns.Length];
                for (var i = 0; i < columns.Length; i++)
                {
                    row[i] = item.TryGetProperty(columns[i], out var v) ? Value(v) : null;
                }

                rows.Add(row);
            }

            return new QueryResult(columns, rows);
        }
    }

    private static object? Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var l) ? l : v.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => v.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.Object => v.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value)),
        _ => null,
    };
}
