using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pretzel.Server.Tests.Support;
using Xunit.Abstractions;

namespace Pretzel.Server.Tests.EndToEnd;

/// <summary>
/// The official Segment Node client (<c>@segment/analytics-node</c>, pinned in <c>tests/segment-node</c>)
/// against a real <c>pretzel serve</c>: every message it reports delivered is stored once, with its type,
/// event, ids and timestamp, and the anonymous and previous ids are stitched to the right person.
/// Needs node and npm (<c>scripts/test.sh</c> runs <c>npm ci --prefix tests/segment-node</c> first); without
/// them the test fails, saying so.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SegmentNodeClientTests(ITestOutputHelper output)
{
    private const int Users = 200;

    [Fact]
    public async Task Messages_sent_by_the_official_Segment_Node_client_are_stored_once_and_stitched_to_their_person()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "segment-node");
        await EnsureNodeClientAsync(folder);

        using var data = new TempFolder();
        var (writeKey, readKey) = await ServerProcess.CreateProjectAsync(data.Path, "shop");
        await using var server = await ServerProcess.StartAsync(data.Path);
        var outFile = data.File("sent.json");
        var seed = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await RunAsync("node", folder, TimeSpan.FromSeconds(120),
            "send.mjs", "--host", server.Url, "--write-key", writeKey, "--users", Users.ToString(CultureInfo.InvariantCulture), "--out", outFile, "--seed", seed);
        output.WriteLine($"node send.mjs ({clock.Elapsed.TotalSeconds:0.0} s): {stdout.Trim()} {stderr.Trim()}");
        Assert.True(code == 0, $"node send.mjs exited {code}\nstdout: {stdout}\nstderr: {stderr}\nserver:\n{server.Output}");

        using var sentDoc = JsonDocument.Parse(await File.ReadAllTextAsync(outFile));
        var sent = sentDoc.RootElement.GetProperty("sent").EnumerateArray().Select(Sent.From).ToList();
        var failed = sentDoc.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(failed.Count == 0, $"the client reports {failed.Count} messages as failed: {sentDoc.RootElement.GetProperty("failureReasons")}");
        var expectedPerson = sentDoc.RootElement.GetProperty("expectedPerson").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.True(sent.Count >= Users * 3, $"send.mjs sent only {sent.Count} messages for {Users} users");
        Assert.Equal(sent.Count, sent.Select(s => s.MessageId).Distinct().Count());

        using var query = new QueryClient(server.Url, readKey);
        var waited = await query.WaitForEmptyBacklogAsync(TimeSpan.FromSeconds(30));

        // Every message stored exactly once, as sent.
        Assert.Equal(sent.Count, await query.ScalarAsync("select count(*) from events"));
        Assert.Equal(sent.Count, await query.ScalarAsync("select count(distinct message_id) from events"));
        var stored = (await query.SqlAsync(
                "select message_id, type, event, user_id, anonymous_id, previous_id, timestamp as ts, person_id from person_events"))
            .ToDictionary(r => r.GetProperty("message_id").GetString()!);
        var problems = new List<string>();
        var skews = new List<double>();
        foreach (var s in sent)
        {
            if (!stored.TryGetValue(s.MessageId, out var row))
            {
                problems.Add($"{s.MessageId} ({s.Type}) is not in the store");
                continue;
            }

            Check(problems, s.MessageId, "type", s.Type, Text(row, "type"));
            // Segment's page call carries a name, not an event; send.mjs names every page "Home".
            Check(problems, s.MessageId, "event", s.Type == "page" ? "Home" : s.Event, Text(row, "event"));
            Check(problems, s.MessageId, "user_id", s.UserId, Text(row, "user_id"));
            Check(problems, s.MessageId, "anonymous_id", s.AnonymousId, Text(row, "anonymous_id"));
            Check(problems, s.MessageId, "previous_id", s.PreviousId, Text(row, "previous_id"));
            var timestamp = DateTime.Parse(Text(row, "ts")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            var skew = (timestamp - s.Timestamp).TotalSeconds;
            skews.Add(skew);
            if (Math.Abs(skew) > 2)
            {
                problems.Add($"{s.MessageId}: timestamp {timestamp:O}, sent {s.Timestamp:O} ({skew:0.000} s apart)");
            }
        }

        // Identity stitching: every event of user-i (including those sent only with anon-i or old-i) has
        // one person, a different one per user; the identity map sends each anonymous and previous id there.
        var personOfUser = new Dictionary<string, HashSet<string>>();
        foreach (var s in sent.Where(s => stored.ContainsKey(s.MessageId)))
        {
            var user = s.UserId ?? expectedPerson.GetValueOrDefault(s.AnonymousId ?? s.PreviousId ?? "") ?? throw new Xunit.Sdk.XunitException($"{s.MessageId}: no user expected for it");
            var person = Text(stored[s.MessageId], "person_id") ?? "(null)";
            if (!personOfUser.TryGetValue(user, out var persons))
            {
                personOfUser[user] = persons = [];
            }

            persons.Add(person);
        }

        foreach (var (user, persons) in personOfUser.Where(p => p.Value.Count != 1))
        {
            problems.Add($"the events of {user} belong to {persons.Count} persons: {string.Join(", ", persons)}");
        }

        var usersPerPerson = personOfUser.Where(p => p.Value.Count == 1).GroupBy(p => p.Value.Single()).Where(g => g.Count() > 1);
        problems.AddRange(usersPerPerson.Select(g => $"person {g.Key} merges users {string.Join(", ", g.Select(p => p.Key))}"));
        Assert.Equal(Users, personOfUser.Count);

        var identities = (await query.SqlAsync("select kind, id, person_id from identities"))
            .ToDictionary(r => (Text(r, "kind")!, Text(r, "id")!), r => Text(r, "person_id"));
        foreach (var (id, user) in expectedPerson)
        {
            var expected = personOfUser[user].First();
            if (!identities.TryGetValue(("anonymous", id), out var person))
            {
                problems.Add($"identities has no anonymous id {id} (expected person {expected}, of {user})");
            }
            else if (person != expected)
            {
                problems.Add($"identities: {id} → {person}, expected {expected} (the person of {user})");
            }
        }

        output.WriteLine($"{sent.Count} messages from {Users} users stored in {waited.TotalSeconds:0.0} s; {expectedPerson.Count} anonymous/previous ids checked; " +
            $"timestamp skew {skews.Min():0.000}..{skews.Max():0.000} s");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join('\n', problems.Take(30)));
    }

    private static void Check(List<string> problems, string messageId, string field, string? expected, string? actual)
    {
        if (expected != actual)
        {
            problems.Add($"{messageId}: {field} is {actual ?? "null"}, sent {expected ?? "null"}");
        }
    }

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;

    /// <summary>Makes sure node runs and the pinned client is installed (npm ci when node_modules is missing).</summary>
    private async Task EnsureNodeClientAsync(string folder)
    {
        var (code, version, stderr) = await RunAsync("node", folder, TimeSpan.FromSeconds(30), "--version");
        Assert.True(code == 0, $"node --version exited {code}: {stderr}");
        var major = int.Parse(version.Trim().TrimStart('v').Split('.')[0], CultureInfo.InvariantCulture);
        Assert.True(major >= 18, $"node {version.Trim()} is too old for @segment/analytics-node 3 (needs >= 18; tests/segment-node/README.md asks for 20)");
        if (File.Exists(Path.Combine(folder, "node_modules", "@segment", "analytics-node", "package.json")))
        {
            return;
        }

        output.WriteLine($"{folder}/node_modules is missing: running npm ci");
        (code, var stdout, stderr) = await RunAsync("npm", folder, TimeSpan.FromSeconds(300), "ci", "--no-audit", "--no-fund", "--loglevel=error");
        Assert.True(code == 0, $"npm ci in {folder} exited {code} (run it by hand: npm ci --prefix tests/segment-node)\n{stdout}\n{stderr}");
        Assert.True(File.Exists(Path.Combine(folder, "node_modules", "@segment", "analytics-node", "package.json")),
            $"npm ci succeeded but {folder}/node_modules/@segment/analytics-node is still missing");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new Xunit.Sdk.XunitException(
                $"`{program}` cannot be started ({ex.Message}): the Segment Node client test needs Node.js >= 20 and npm on the PATH " +
                "(Debian: apt-get install nodejs npm), then `npm ci --prefix tests/segment-node`.");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pretzel.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Pretzel.slnx) above " + AppContext.BaseDirectory);
    }

    private sealed record Sent(string MessageId, string Type, string? Event, string? UserId, string? AnonymousId, string? PreviousId, DateTime Timestamp)
    {
        internal static Sent From(JsonElement e) => new(
            e.GetProperty("messageId").GetString()!,
            e.GetProperty("type").GetString()!,
            Optional(e, "event"),
            Optional(e, "userId"),
            Optional(e, "anonymousId"),
            Optional(e, "previousId"),
            DateTime.Parse(e.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));

        private static string? Optional(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
