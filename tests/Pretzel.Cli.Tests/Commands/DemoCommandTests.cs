namespace Pretzel.Cli.Tests.Commands;

[Collection(ConsoleCollection.Name)]
public sealed class DemoCommandTests : IDisposable
{
    private const string AllEvents = "select * from events order by message_id";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // The events are loaded before the summary is printed; the determinism tests look at the events only,
    // so that they say something even while the summary fails (see Demo_SmallDataSet_ExitsZeroAndPrintsTheSummary).
    private async Task<string> DemoThenDump(string name, int seed)
    {
        var db = _temp.File(name);
        await Record.ExceptionAsync(() => CliRun.Run("demo", "--db", db, "--people", "300", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json"));
        var dump = await CliRun.Run("sql", "--db", db, "--format", "csv", AllEvents);
        Assert.True(dump.Exit == 0, dump.ToString());
        return dump.Out;
    }

    [Fact]
    public async Task Demo_SameSeedIntoTwoStores_GivesIdenticalEvents()
    {
        var first = await DemoThenDump("one.duckdb", 7);
        var second = await DemoThenDump("two.duckdb", 7);

        Assert.True(first.Split('\n').Length > 300, "expected more events than people");
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Demo_DifferentSeed_GivesDifferentEvents()
    {
        var seven = await DemoThenDump("seven.duckdb", 7);
        var eight = await DemoThenDump("eight.duckdb", 8);

        Assert.NotEqual(seven, eight);
        // Not just the seed inside the message ids: the journeys themselves differ.
        static string WithoutIds(string csv) => string.Join('\n', csv.Split('\n').Select(l => l.Contains(',', StringComparison.Ordinal) ? l[l.IndexOf(',', StringComparison.Ordinal)..] : l));
        Assert.NotEqual(WithoutIds(seven), WithoutIds(eight));
    }

    [Fact]
    public async Task Demo_SmallDataSet_ExitsZeroAndPrintsTheSummary()
    {
        var db = _temp.File("summary.duckdb");

        var result = await CliRun.Run("demo", "--db", db, "--people", "300", "--seed", "7", "--format", "json");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        var summary = Assert.Single(json.RootElement.EnumerateArray().ToList());
        var events = summary.GetProperty("events").GetInt64();
        Assert.True(events > 300, $"{events} events");
        Assert.Equal(events, summary.GetProperty("new_events").GetInt64());
        var check = await CliRun.Run("sql", "--db", db, "--format", "json",
            "select (select count(*) from events) as events, (select count(distinct person_id) from person_events) as people, (select count(distinct channel) from events) as channels");
        using var expected = System.Text.Json.JsonDocument.Parse(check.Out);
        foreach (var column in new[] { "events", "people", "channels" })
        {
            Assert.Equal(expected.RootElement[0].GetProperty(column).GetInt64(), summary.GetProperty(column).GetInt64());
        }

        // Unidentified second devices stay apart, so there can be somewhat more stitched people than generated ones.
        Assert.InRange(summary.GetProperty("people").GetInt64(), 250, 400);
    }

    [Fact]
    public async Task Demo_Twice_SecondRunAddsNoEvents()
    {
        var db = _temp.File("twice.duckdb");
        const string countSql = "select count(*) as n, count(distinct message_id) as ids, max(received_at) as received from events";
        await Record.ExceptionAsync(() => CliRun.Run("demo", "--db", db, "--people", "50", "--seed", "3", "--format", "csv"));
        var count = await CliRun.Run("sql", "--db", db, "--format", "json", countSql);

        await Record.ExceptionAsync(() => CliRun.Run("demo", "--db", db, "--people", "50", "--seed", "3", "--format", "csv"));
        var countAgain = await CliRun.Run("sql", "--db", db, "--format", "json", countSql);

        using var json = System.Text.Json.JsonDocument.Parse(count.Out);
        Assert.True(json.RootElement[0].GetProperty("n").GetInt64() > 50, count.ToString());
        Assert.Equal(json.RootElement[0].GetProperty("n").GetInt64(), json.RootElement[0].GetProperty("ids").GetInt64());
        Assert.Equal(count.Out, countAgain.Out);
    }

    [Theory]
    [InlineData("--people", "0")]
    [InlineData("--days", "5")]
    public async Task Demo_OutOfRangeOption_ExitsTwoNamingIt(string option, string value)
    {
        var result = await CliRun.Run("demo", "--db", _temp.File("x.duckdb"), option, value);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
