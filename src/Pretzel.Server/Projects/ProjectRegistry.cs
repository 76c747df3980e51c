using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Pretzel.Server.Projects;

/// <summary>One project: a name, when it was made, and the hashes of its two keys.</summary>
public sealed record ProjectRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("write_key_sha256")] string WriteKeyHash,
    [property: JsonPropertyName("read_key_sha256")] string ReadKeyHash);

/// <summary>A newly created project with its keys in clear text (shown once, never stored).</summary>
public sealed record CreatedProject(ProjectRecord Project, string WriteKey, string ReadKey);

/// <summary>Raised for a registry that cannot be read or a project that cannot be created; the message names the cause.</summary>
public sealed class ProjectRegistryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The projects of a data folder, kept in <c>DATA/projects.json</c>. The file is replaced atomically
/// (write beside, then rename) under a lock file, so <c>pretzel projects create</c> can run while the
/// server is reading it; the server notices the change on the next unknown key.
/// </summary>
public sealed partial class ProjectRegistry
{
    private const string FileName = "projects.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;
    private readonly Lock _gate = new();
    private Snapshot _snapshot = Snapshot.Empty;
    private (DateTime Written, long Length) _loadedVersion;

    public ProjectRegistry(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
        _path = Path.Combine(DataDirectory, FileName);
    }

    /// <summary>The data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Project names: a lower-case letter, then lower-case letters, digits or '_' (at most 40), since they name folders and databases.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Every project, by name.</summary>
    public IReadOnlyList<ProjectRecord> List()
    {
        Refresh(force: true);
        return _snapshot.Projects;
    }

    /// <summary>The project and kind of <paramref name="key"/>, or null for a key no project has.</summary>
    public (ProjectRecord Project, KeyKind Kind)? Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = ApiKey.Hash(key);
        if (_snapshot.ByHash.TryGetValue(hash, out var hit))
        {
            return hit;
        }

        // A project created since the file was last read (by `pretzel projects create` beside the server).
        return Refresh(force: false) && _snapshot.ByHash.TryGetValue(hash, out hit) ? hit : null;
    }

    /// <summary>Creates project <paramref name="name"/> with new keys.</summary>
    public CreatedProject Create(string name, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new ProjectRegistryException($"'{name}' is not a valid project name: use a lower-case letter, then lower-case letters, digits or '_' (at most 40 characters)");
        }

        Directory.CreateDirectory(DataDirectory);
        using var fileLock = AcquireLock();
        var projects = Read().ToList();
        if (projects.Exists(p => p.Name == name))
        {
            throw new ProjectRegistryException($"project '{name}' already exists in {DataDirectory}");
        }

        var writeKey = ApiKey.Create(KeyKind.Write);
        var readKey = ApiKey.Create(KeyKind.Read);
        var record = new ProjectRecord(name, now, ApiKey.Hash(writeKey), ApiKey.Hash(readKey));
        projects.Add(record);
        projects.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var temp = _path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, new RegistryFile(projects), Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        Directory.CreateDirectory(Path.Combine(DataDirectory, name));
        Refresh(force: true);
        return new CreatedProject(record, writeKey, readKey);
    }

    private bool Refresh(bool force)
    {
        lock (_gate)
        {
            var info = new FileInfo(_path);
            var version = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
            if (!force && version == _loadedVersion)
            {
                return false;
            }

            var projects = Read();
            var byHash = new Dictionary<string, (ProjectRecord, KeyKind)>(StringComparer.Ordinal);
            foreach (var p in projects)
            {
                byHash[p.WriteKeyHash] = (p, KeyKind.Write);
                byHash[p.ReadKeyHash] = (p, KeyKind.Read);
            }

            _snapshot = new Snapshot(projects, byHash);
            _loadedVersion = version;
            return true;
        }
    }

    private List<ProjectRecord> Read()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var file = JsonSerializer.Deserialize<RegistryFile>(stream, Json);
            var projects = file?.Projects ?? [];
            foreach (var p in projects)
            {
                if (p is null || !IsValidName(p.Name ?? "") || string.IsNullOrEmpty(p.WriteKeyHash) || string.IsNullOrEmpty(p.ReadKeyHash))
                {
                    throw new ProjectRegistryException($"{_path}: a project entry is incomplete or has an invalid name");
                }
            }

            return projects;
        }
        catch (JsonException ex)
        {
            throw new ProjectRegistryException($"{_path} is not a valid project registry: {ex.Message}", ex);
        }
    }

    private FileStream AcquireLock()
    {
        var lockPath = _path + ".lock";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(50);
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();

    private sealed record RegistryFile([property: JsonPropertyName("projects")] List<ProjectRecord> Projects);

    private sealed record Snapshot(IReadOnlyList<ProjectRecord> Projects, Dictionary<string, (ProjectRecord, KeyKind)> ByHash)
    {
        internal static Snapshot Empty { get; } = new([], []);
    }
}
