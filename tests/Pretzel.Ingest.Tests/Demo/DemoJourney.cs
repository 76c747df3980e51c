using Pretzel.Core.Events;

namespace Pretzel.Ingest.Tests.Demo;

/// <summary>One generated person's events (in stream order), with the test-side reading of them.</summary>
internal sealed class DemoJourney(long person, List<Event> events)
{
    public long Person { get; } = person;

    public List<Event> Events { get; } = events;

    public bool Identified => Events.Exists(e => e.UserId is not null);

    public bool Purchased => Events.Exists(e => e.Name == "purchase");

    public bool HasTouch(string channel) => Events.Exists(e => ChannelOf(e) == channel);

    public string FirstTouch => ChannelOf(Events[0]) ?? "direct";

    public int IndexOf(string name, int from = 0) => Events.FindIndex(from, e => e.Name == name);

    /// <summary>Person number from a message id <c>demo-{seed}-{person}-{n}</c> (the seed may be negative).</summary>
    public static long PersonOf(Event e)
    {
        var id = e.MessageId.AsSpan(0, e.MessageId.LastIndexOf('-'));
        return long.Parse(id[(id.LastIndexOf('-') + 1)..]);
    }

    /// <summary>Splits the stream into people; asserts that each person's events are contiguous.</summary>
    public static List<DemoJourney> Split(IEnumerable<Event> events)
    {
        var people = new List<DemoJourney>();
        foreach (var e in events)
        {
            var person = PersonOf(e);
            if (people.Count == 0 || people[^1].Person != person)
            {
                Assert.True(people.Count == 0 || person == people[^1].Person + 1, $"person {person} out of order");
                people.Add(new DemoJourney(person, []));
            }

            people[^1].Events.Add(e);
        }

        return people;
    }

    /// <summary>
    /// A deliberately simple reading of the raw marketing fields, independent of the product's channel rules:
    /// explicit channel, else the medium, else the referrer's host; null when the event carries none.
    /// </summary>
    public static string? ChannelOf(Event e)
    {
        if (e.Channel is not null)
        {
            return e.Channel;
        }

        if (e.Medium is not null)
        {
            return e.Medium switch
            {
                "cpc" => e.Source is "google" or "bing" ? "paid_search" : "paid_social",
                "paid_social" => "paid_social",
                "email" => "email",
                "display" => "display",
                "affiliate" => "affiliates",
                "word_of_mouth" => "word_of_mouth",
                _ => "unknown:" + e.Medium,
            };
        }

        if (e.Referrer is null)
        {
            return null;
        }

        var host = new Uri(e.Referrer).Host;
        return host switch
        {
            "www.google.com" or "www.bing.com" or "duckduckgo.com" => "organic_search",
            "t.co" or "www.linkedin.com" or "www.facebook.com" or "www.reddit.com" => "organic_social",
            _ => "referral",
        };
    }
}
