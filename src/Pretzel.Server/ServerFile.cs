using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Pretzel.Server;

/// <summary>
/// <c>DATA/server.json</c>: where a running server listens, so that a command that finds a project's
/// store locked can say which server holds it and how to query through it. Also the start-up line.
/// </summary>
public static class ServerFile
{
    /// <summary>The file's name inside the data folder.</summary>
    public const string FileName = "server.json";

    /// <summary>The URL of the server running on <paramref name="dataDirectory"/>, if one said so.</summary>
    public static string? FindUrl(string dataDirectory)
    {
        try
        {
            var path = Path.Combine(dataDirectory, FileName);
            if (!File.Exists(path))
            {
                return null;
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("url", out var url) ? url.GetString() : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static void Write(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var url = addresses.FirstOrDefault() ?? "";
        var data = Path.GetFullPath(options.DataDirectory);
        try
        {
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, FileName), JsonSerializer.Serialize(new { url, pid = Environment.ProcessId }));
        }
        catch (IOException)
        {
            // Only a convenience for error messages.
        }

        var projects = app.Services.GetRequiredService<Projects.ProjectRegistry>().List().Count;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pretzel serve: listening on {string.Join(", ", addresses)} (data {data}, {projects} project{(projects == 1 ? "" : "s")}, store {(string.IsNullOrEmpty(options.Store) ? "DuckDB per project" : options.Store)})"));
        Console.Out.Flush();
    }

    internal static void Delete(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        try
        {
            File.Delete(Path.Combine(Path.GetFullPath(options.DataDirectory), FileName));
        }
        catch (IOException)
        {
        }
    }
}
