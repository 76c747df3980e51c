using System.Globalization;
using System.Xml.Linq;
using CsCheck;
using Pretzel.Analytics.JourneyMap;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Stages;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.JourneyMap;

/// <summary>The journey map's touchpoints on random people and by hand, and its Markdown and HTML documents.</summary>
public sealed class JourneyMapTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Pages = ["home", "blog", "pricing", "careers"];
    private static readonly string[] Tracks = ["sign_up", "purchase", "refused", "email_opened", "identify_me"];
    private static readonly string?[] Channels = [null, null, "email", "organic_search", "word_of_mouth"];

    private static readonly StageModel Model = new("test",
    [
        new("visit", [new StageRule { Types = ["page"], Events = ["home", "blog"] }]),
        new("consider", [new StageRule { Types = ["page"], Events = ["pricing"] }]),
        new("signed_up", [new StageRule { Events = ["sign_up"] }]),
        new("customer", [new StageRule { Events = ["purchase"], Occurrence = "first" }]),
        new("loyal", [new StageRule { Events = ["purchase"], Occurrence = "repeat" }]),
    ], new("refusal", [new StageRule { Events = ["refused"] }]));

    private static readonly Gen<List<PersonJourney>> GenPeople =
        Gen.Select(Gen.Int[0, Pages.Length + Tracks.Length - 1], Gen.Int[0, 60 * 24 * 90], Gen.Int[0, Channels.Length - 1]).Array[0, 12].Array[0, 30]
            .Select(people => people.Select((events, p) => new PersonJourney("p" + p.ToString("D2", CultureInfo.InvariantCulture), [.. events
                .Select((e, i) => new JourneyEvent(EventTime.ToMicros(T0.AddMinutes(e.Item2)), $"m{i:D3}", e.Item1 < Pages.Length ? "page" : "track",
                    e.Item1 < Pages.Length ? Pages[e.Item1] : Tracks[e.Item1 - Pages.Length], Channels[e.Item3], null, null, null))
                .OrderBy(e => e.Micros).ThenBy(e => e.MessageId, StringComparer.Ordinal)])).ToList());

    [Fact]
    public void The_map_keeps_the_stage_numbers_and_its_touchpoints_stay_within_the_people_who_reached_the_stage()
    {
        Gen.Select(GenPeople, Gen.Int[1, 4], Gen.Bool).Sample((people, top, byEvent) =>
        {
            var kind = byEvent ? TouchpointKind.Event : TouchpointKind.Channel;
            var map = JourneyMapBuilder.Build(people, Model, kind, top);
            var stages = StageAnalysis.Compute(people, Model);
            Assert.Equal(Model.Stages.Count, map.Stages.Count);
            for (var k = 0; k < map.Stages.Count; k++)
            {
                var stage = map.Stages[k];
                Assert.Equal((stages[k].Stage, stages[k].Reached, stages[k].Current), (stage.Stage, stage.Reached, stage.Current));
                Assert.Equal(k + 1 < stages.Count - 1 ? stages[k + 1].ConversionFromPrevious : null, stage.ConversionToNext);
                Assert.Equal(stage.Gap, stage.Touchpoints.Count == 0);
                Assert.All(stage.Touchpoints, t => Assert.InRange(t.People, 1, Math.Min(stage.Reached, t.Events)));
                Assert.True(map.TopOf(stage).Count <= top);
                Assert.All(map.TopOf(stage), t => Assert.Contains(t.Touchpoint, map.Columns));
            }

            // Every touch event from a person's first stage event on counts at exactly one stage.
            var expected = people.Sum(p =>
            {
                var first = p.Events.ToList().FindIndex(e => e.Name is "home" or "blog" or "pricing" or "sign_up" or "purchase");
                return first < 0 ? 0 : p.Events.Skip(first).Count(e => (kind == TouchpointKind.Channel ? e.Channel : e.Name) is not null);
            });
            Assert.Equal(expected, map.Stages.Sum(s => s.Touchpoints.Sum(t => t.Events)));
        }, iter: 400);
    }

    [Fact]
    public void A_touch_counts_for_the_stage_the_person_is_in_once_it_happened()
    {
        JourneyEvent E(int minute, string type, string name, string? channel = null) =>
            new(EventTime.ToMicros(T0.AddMinutes(minute)), $"m{minute:D4}", type, name, channel, null, null, null);
        var people = new List<PersonJourney>
        {
            // An email opened before any stage counts nowhere; the blog landing page is the visit's own touch; the
            // newsletter click while considering counts there, and so does the one after the refusal.
            new("a", [E(0, "track", "email_opened", "email"), E(1, "page", "blog", "organic_search"), E(2, "page", "pricing"),
                E(3, "track", "email_opened", "email"), E(4, "track", "refused", "email")]),
            // A friend lands on pricing by word of mouth, signs up and buys twice (nothing touches them while signed up), then
            // comes back to the blog from a newsletter: an event of the first stage, counted at loyal, the furthest reached.
            new("b", [E(0, "page", "pricing", "word_of_mouth"), E(5, "track", "sign_up"), E(9, "track", "purchase", "email"), E(40, "track", "purchase"),
                E(50, "page", "blog", "email")]),
        };
        var map = JourneyMapBuilder.Build(people, Model, TouchpointKind.Channel, top: 1);
        Assert.Equal([new TouchpointCount("organic_search", 1, 1)], map.Stages[0].Touchpoints);
        Assert.Equal([new TouchpointCount("email", 1, 2), new TouchpointCount("word_of_mouth", 1, 1)], map.Stages[1].Touchpoints);
        Assert.True(map.Stages[2].Gap);
        Assert.Equal([new TouchpointCount("email", 1, 1)], map.Stages[3].Touchpoints);
        Assert.Equal([new TouchpointCount("email", 1, 1)], map.Stages[4].Touchpoints);
        Assert.Equal(["email", "organic_search"], map.Columns);

        var rows = JourneyMapRows.Table(map);
        Assert.Equal(["index", "stage", "reached", "current", "conversion_to_next", "median_days_in_stage", "touchpoints", "gap"], rows.Columns);
        Assert.Equal([2, "consider", 2L, 1L, 0.5, 0.0, "email 1", false], rows.Rows[1]);
        Assert.Equal("", rows.Rows[2][6]);
        Assert.Equal(true, rows.Rows[2][7]);
    }

    [Fact]
    public void The_html_map_is_well_formed_names_every_stage_and_escapes_names()
    {
        var model = new StageModel("<script>alert(1)</script>",
        [
            new("look & <see>", [new StageRule { Types = ["page"] }]),
            new("buy \"now\"", [new StageRule { Events = ["purchase"] }]),
        ], null);
        var people = new List<PersonJourney>
        {
            new("a", [new JourneyEvent(1, "m1", "page", "home", "<b>bold</b>", null, null, null), new JourneyEvent(2, "m2", "track", "purchase", null, null, null, null)]),
        };
        var map = JourneyMapBuilder.Build(people, model, TouchpointKind.Channel);
        var html = JourneyMapDocument.Html(map);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<see>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html, StringComparison.Ordinal);

        // Well-formed as XML once the doctype is left out: every element closed, every entity known.
        var doc = XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        var text = doc.Root!.Value;
        Assert.Contains("look & <see>", text, StringComparison.Ordinal);
        Assert.Contains("buy \"now\"", text, StringComparison.Ordinal);
        Assert.Contains("<b>bold</b>", text, StringComparison.Ordinal);
        Assert.Single(doc.Descendants("tr"), tr => (string?)tr.Attribute("class") == "gap");

        var md = JourneyMapDocument.Markdown(map);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; 1", md, StringComparison.Ordinal);
        Assert.Equal(2 + map.Stages.Count, md.Split('\n').Count(l => l.StartsWith('|')));
    }
}
