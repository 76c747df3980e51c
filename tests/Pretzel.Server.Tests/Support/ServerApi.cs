using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pretzel.Server.Tests.Support;

/// <summary>Small helpers for talking to the in-process server: posting JSON, running SQL, reading error bodies.</summary>
public static class ServerApi
{
    /// <summary>A short unique id, so tests sharing one server never see each other's events.</summary>
    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Current UTC time as ISO-8601 with milliseconds and Z.</summary>
    public static string Iso(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>POSTs <paramref name="json"/> as application/json.</summary>
    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, string json, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType)));

    /// <summary>POSTs raw bytes with the given content type and (optional) Content-Encoding.</summary>
    public static Task<HttpResponseMessage> PostBytes(this HttpClient client, string path, byte[] body, string? contentEncoding = null, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (contentEncoding is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Encoding", contentEncoding);
        }

        return client.PostAsync(path, content);
    }

    /// <summary>POSTs an object serialised as JSON.</summary>
    public static Task<HttpResponseMessage> PostObject(this HttpClient client, string path, object body) =>
        client.PostJson(path, JsonSerializer.Serialize(body));

    /// <summary>The response body parsed as JSON (fails the test when it is not JSON).</summary>
    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} body is not JSON ({ex.Message}): {Shorten(text)}");
        }
    }

    /// <summary>Asserts the status, returns the JSON body; the failure message includes the body.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {Shorten(text)}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts the status and the shape of a collector error body with the given top-level code; returns the body.</summary>
    public static async Task<JsonElement> ExpectError(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Expect(status);
        AssertErrorShape(body);
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    /// <summary>The documented error body: success false, accepted, rejected, errors[{code,message,index,field}], code, message.</summary>
    public static void AssertErrorShape(JsonElement body)
    {
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("accepted").ValueKind);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("rejected").ValueKind);
        var errors = body.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.True(errors.GetArrayLength() > 0, "errors must not be empty");
        foreach (var e in errors.EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("code").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString()));
            Assert.True(e.TryGetProperty("index", out _), "error without index key");
            Assert.True(e.TryGetProperty("field", out _), "error without field key");
        }

        Assert.Equal(errors[0].GetProperty("code").GetString(), body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    /// <summary>A client that sends <paramref name="key"/> as a Bearer token (query API).</summary>
    public static HttpClient ReadClient(this PretzelServerFactory factory, string readKey)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readKey);
        return client;
    }

    /// <summary>Runs <paramref name="sql"/> with <paramref name="readKey"/> and returns the rows (fails unless 200).</summary>
    public static async Task<JsonElement[]> Sql(this PretzelServerFactory factory, string readKey, string sql)
    {
        using var client = factory.ReadClient(readKey);
        using var response = await client.PostObject("/api/v1/sql", new { sql });
        var body = await response.Expect(HttpStatusCode.OK);
        return [.. body.EnumerateArray()];
    }

    /// <summary>Single value of a one-row, one-column query.</summary>
    public static async Task<long> Count(this PretzelServerFactory factory, string readKey, string sql)
    {
        var rows = await factory.Sql(readKey, sql);
        var row = Assert.Single(rows);
        return row.EnumerateObject().First().Value.GetInt64();
    }

    /// <summary>The events row(s) of <paramref name="anonymousId"/> after flushing, ordered by timestamp.</summary>
    public static async Task<JsonElement[]> EventsOf(this PretzelServerFactory factory, string readKey, string anonymousId)
    {
        await factory.Flush();
        return await factory.Sql(readKey, $"select * from events where anonymous_id = '{anonymousId}' order by timestamp, message_id");
    }

    /// <summary>A row's <c>properties</c> as a JSON object (the store may give it back as JSON text).</summary>
    public static JsonElement Properties(JsonElement row)
    {
        var p = row.GetProperty("properties");
        if (p.ValueKind == JsonValueKind.String)
        {
            using var doc = JsonDocument.Parse(p.GetString()!);
            return doc.RootElement.Clone();
        }

        return p;
    }

    /// <summary>A string column of a row (null when SQL NULL).</summary>
    public static string? Str(this JsonElement row, string column) =>
        row.GetProperty(column) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>A timestamp column parsed as UTC.</summary>
    public static DateTime Time(this JsonElement row, string column) =>
        DateTime.Parse(row.GetProperty(column).GetString()!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
