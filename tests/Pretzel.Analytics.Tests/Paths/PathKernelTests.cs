using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Paths;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Paths;

/// <summary>The path kernel against the reference on random people, and the journey rules on small cases.</summary>
public sealed class PathKernelTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Names = ["home", "pricing", "purchase", "email_opened", "order_completed"];
    private static readonly string?[] Channels = [null, "email", "paid_search", "direct"];
    private static readonly string?[] Campaigns = [null, "spring", "fall"];

    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 24 * 200], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 500]).Array[0, 18].Array[0, 30]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Item2)), $"m{i:D3}", "track", Names[e.Item1], Channels[e.Item3], null, null,
                    Campaigns[e.Item4], null, e.Item5 % 3 == 0 ? null : e.Item5))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    private static readonly Gen<PathOptions> GenOptions =
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 120], Gen.Bool, Gen.Int[0, 4], Gen.Int[0, 24 * 220], Gen.Bool)
            .Select((touch, lookbackDays, collapse, max, toHours, both) => new PathOptions
            {
                Touch = (TouchKind)touch,
                Lookback = TimeSpan.FromDays(lookbackDays),
                Collapse = collapse,
                MaxLength = max == 0 ? null : max,
                To = T0.AddHours(toHours),
                ConversionEvents = both ? ["purchase", "order_completed"] : ["purchase"],
            });

    private static void AssertSame(PathResult expected, PathResult actual)
    {
        Assert.Equal(expected.People, actual.People);
        Assert.Equal(expected.Journeys, actual.Journeys);
        Assert.Equal(expected.Paths.Select(p => p.Touches), actual.Paths.Select(p => p.Touches));
        for (var i = 0; i < expected.Paths.Count; i++)
        {
            var (e, a) = (expected.Paths[i], actual.Paths[i]);
            Assert.Equal((e.Journeys, e.People, e.Conversions, e.Nulls), (a.Journeys, a.People, a.Conversions, a.Nulls));
            Assert.Equal(e.Value, a.Value, 9);
            Assert.Equal(e.DaysToConvert.Order(), a.DaysToConvert.Order());
        }
    }

    [Fact]
    public void The_kernel_gives_the_reference_paths()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
            AssertSame(PathReference.Compute(people, options), PathKernel.Compute(JourneyColumns.FromJourneys(people), options)), iter: 1500);
    }

    [Fact]
    public void Journeys_and_people_add_up()
    {
        Gen.Select(GenPeople, GenOptions).Sample((people, options) =>
        {
            var result = PathKernel.Compute(JourneyColumns.FromJourneys(people), options);
            Assert.Equal(result.Journeys, result.Paths.Sum(p => p.Journeys));
            Assert.True(result.Paths.Sum(p => p.People) >= result.People);
            Assert.All(result.Paths, p => Assert.True(p.People <= p.Journeys && p.Conversions <= p.Journeys));
            Assert.All(result.Paths, p => Assert.True(options.MaxLength is not { } max || p.Touches.Count <= max));
        }, iter: 300);
    }

    private static JourneyEvent E(double hours, string name, string? channel = null, double? revenue = null) =>
        new(EventTime.ToMicros(T0.AddHours(hours)), $"m{hours:000.00}", "track", name, channel, null, null, null, null, revenue);

    [Fact]
    public void A_conversion_ends_a_journey_and_the_rest_is_a_null_journey()
    {
        var person = new PersonJourney("p", [E(0, "home", "paid_search"), E(1, "home", "email"), E(2, "purchase", "email", 50), E(30, "home", "direct"), E(31, "home", "direct")]);
        var options = new PathOptions { To = T0.AddDays(100) };
        var result = PathReference.Compute([person], options);
        Assert.Equal(2, result.Journeys);
        var converted = result.Paths.Single(p => p.Conversions == 1);
        Assert.Equal(["paid_search", "email"], converted.Touches);
        Assert.Equal(50, converted.Value);
        Assert.Equal(2 / 24.0, converted.DaysToConvert.Single(), 9);
        Assert.Equal(["direct", "direct"], result.Paths.Single(p => p.Nulls == 1).Touches);
        var collapsed = PathReference.Compute([person], options with { Collapse = true });
        Assert.Contains(collapsed.Paths, p => p.Touches.SequenceEqual(["direct"]));
    }

    [Fact]
    public void Touches_before_the_lookback_are_left_out_and_a_conversion_without_touches_has_an_empty_path()
    {
        var person = new PersonJourney("p", [E(0, "home", "paid_search"), E(24 * 10, "home", "email"), E(24 * 10 + 1, "purchase"), E(24 * 20, "purchase", null, 5)]);
        var result = PathReference.Compute([person], new PathOptions { To = T0.AddDays(100), Lookback = TimeSpan.FromDays(5) });
        Assert.Equal(["email"], result.Paths.Single(p => p.Touches.Count == 1).Touches);
        var empty = result.Paths.Single(p => p.Touches.Count == 0);
        Assert.Equal((1L, 5.0), (empty.Conversions, empty.Value));
        Assert.Equal(1, result.People);
    }
}

/// <summary>The ChannelAttribution file: written and read back to the same table; bad files named by line and column.</summary>
public sealed class PathTableFileTests
{
    [Fact]
    public void The_export_reads_back_as_the_same_path_table()
    {
        var rows = new List<PathRow>
        {
            new([], 3, 120.5, 0),
            new(["paid_search"], 1, 99.99, 7),
            new(["email", "direct; home", "email"], 0, 0, 2),
            new(["word \"of\" mouth"], 2, 1e6, 1),
        };
        var text = new StringWriter();
        PathTableFile.Write(text, rows);
        Assert.StartsWith("path;total_conversions;total_conversion_value;total_null", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("paid_search;1;99.99;7", text.ToString(), StringComparison.Ordinal);
        var back = AttributionPathFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.ToString())), "p.csv");
        Assert.Equal(rows, back.Table.Rows());
    }

    [Theory]
    [InlineData("path;total_conversions;total_conversion_value;total_null\na > b;x;1;2\n", "total_conversions 'x'")]
    [InlineData("path;total_conversions;total_conversion_value;total_null\na;1;2;-3\n", "total_null '-3'")]
    public void A_bad_path_table_row_is_rejected_naming_the_place(string text, string message)
    {
        var result = AttributionPathFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "p.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_table_file_without_the_needed_columns_is_refused()
    {
        var ex = Assert.Throws<PathException>(() => AttributionPathFile.Read(new MemoryStream("path;conversions\na;1\n"u8.ToArray()), "p.csv"));
        Assert.Contains("p.csv, line 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("total_conversions", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>Flows around an event: every depth accounts for everyone with the anchor.</summary>
public sealed class FlowTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static JourneyEvent E(double hours, string name, string? channel = null) =>
        new(EventTime.ToMicros(T0.AddHours(hours)), $"m{hours:000.00}", "track", name, channel, null, null, null);

    [Fact]
    public void After_an_event_people_flow_on_and_out()
    {
        var people = new List<PersonJourney>
        {
            new("a", [E(0, "signup"), E(1, "home", "email"), E(2, "purchase")]),
            new("b", [E(0, "home", "paid_search"), E(1, "signup"), E(2, "home", "email")]),
            new("c", [E(0, "signup")]),
            new("d", [E(0, "home", "email")]),
        };
        var rows = Flow.Links(people, new FlowOptions { Anchor = FlowAnchor.After, Event = "signup", Depth = 2, To = T0.AddDays(1) });
        Assert.Equal([(1, "signup", "email", 2L), (1, "signup", "(exit)", 1L)], rows.Where(r => r.Depth == 1).Select(r => (r.Depth, r.From, r.To, r.People)));
        Assert.Equal([(2, "(exit)", "(exit)", 1L), (2, "email", "(exit)", 1L), (2, "email", "purchase", 1L)],
            rows.Where(r => r.Depth == 2).Select(r => (r.Depth, r.From, r.To, r.People)).OrderBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal));

        var back = Flow.Links(people, new FlowOptions { Anchor = FlowAnchor.Before, Event = "signup", Depth = 1, To = T0.AddDays(1) });
        Assert.Equal([("(start)", "signup", 2L), ("paid_search", "signup", 1L)], back.Select(r => (r.From, r.To, r.People)));
    }

    [Fact]
    public void Every_depth_adds_up_to_everyone_with_the_anchor()
    {
        string[] names = ["home", "pricing", "signup", "purchase", "blog"];
        string?[] channels = [null, "email", "paid_search", "direct", "social", "display"];
        var gen = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 100], Gen.Int[0, 5]).Array[0, 12].Array[1, 40]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p, [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddHours(e.Item2)), $"m{i:D3}", "track", names[e.Item1], channels[e.Item3], null, null, null))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());
        Gen.Select(gen, Gen.Int[0, 2], Gen.Int[1, 4], Gen.Int[1, 3]).Sample((people, anchor, depth, nodes) =>
        {
            var options = new FlowOptions { Anchor = (FlowAnchor)anchor, Event = "signup", Until = "purchase", Depth = depth, Nodes = nodes, To = T0.AddDays(10) };
            var rows = Flow.Links(people, options);
            var anchored = people.Count(p => p.Events.Any(e => e.Name == "signup"));
            for (var d = 1; d <= depth; d++)
            {
                var level = rows.Where(r => r.Depth == d).ToList();
                Assert.Equal(anchored, level.Sum(r => r.People));
                var side = level.Select(r => options.Anchor == FlowAnchor.Before ? r.From : r.To).Distinct().ToList();
                Assert.True(side.Count(n => n is not ("(exit)" or "(start)" or "(other)")) <= nodes);
            }

            // Each depth's "to" side (after) is the next depth's "from" side.
            if (options.Anchor != FlowAnchor.Before)
            {
                for (var d = 1; d < depth; d++)
                {
                    var outs = rows.Where(r => r.Depth == d).GroupBy(r => r.To).ToDictionary(g => g.Key, g => g.Sum(r => r.People));
                    var ins = rows.Where(r => r.Depth == d + 1).GroupBy(r => r.From).ToDictionary(g => g.Key, g => g.Sum(r => r.People));
                    Assert.Equal(outs.OrderBy(kv => kv.Key, StringComparer.Ordinal), ins.OrderBy(kv => kv.Key, StringComparer.Ordinal));
                }
            }
        }, iter: 300);
    }
}
