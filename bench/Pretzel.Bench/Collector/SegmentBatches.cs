using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Pretzel.Bench.Collector;

/// <summary>One pre-serialised <c>/v1/batch</c> body and how many messages it holds.</summary>
public sealed record PreparedBatch(byte[] Body, int Events);

/// <summary>
/// Generates realistic Segment batches before any timing: a mix of page (50%), track (40%) and
/// identify (10%) calls from a fixed population of anonymous visitors (about a third of whom are also
/// known by a user id), with <c>context.campaign</c> on about a third of the calls, <c>context.page</c>,
/// device context, properties (revenue and currency on orders), and a unique <c>messageId</c> on every
/// message so that stored == acknowledged can be checked exactly afterwards.
/// </summary>
public static class SegmentBatches
{
    private static readonly string[] Pages = ["/", "/pricing", "/docs", "/docs/getting-started", "/blog/journeys", "/product/pretzel-classic", "/product/pretzel-salted", "/cart", "/checkout", "/signup"];
    private static readonly string[] Referrers = ["https://www.google.com/", "https://duckduckgo.com/", "https://news.ycombinator.com/", "https://t.co/abc", "https://www.linkedin.com/", ""];
    private static readonly string[] Tracks = ["Product Viewed", "Product Added", "Checkout Started", "Signed Up", "Order Completed", "Newsletter Subscribed"];
    private static readonly (string Source, string Medium, string Name)[] Campaigns =
    [
        ("google", "cpc", "spring_sale"), ("newsletter", "email", "weekly_42"), ("facebook", "paid_social", "retarget_q2"),
        ("linkedin", "social", "launch"), ("partner", "referral", "affiliate_7"), ("bing", "cpc", "brand"),
    ];

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    ];

    /// <summary>
    /// <paramref name="count"/> batches of <paramref name="batchSize"/> messages (the last may be shorter when
    /// <paramref name="events"/> is not a multiple), ids prefixed with <paramref name="idPrefix"/>.
    /// </summary>
    public static PreparedBatch[] Generate(long events, int batchSize, int people, string idPrefix, int seed)
    {
        var random = new Random(seed);
        var now = DateTime.UtcNow;
        var sentAt = Iso(now);
        var batches = new PreparedBatch[(int)((events + batchSize - 1) / batchSize)];
        var buffer = new ArrayBufferWriter<byte>(batchSize * 900);
        long seq = 0;
        for (var b = 0; b < batches.Length; b++)
        {
            var n = (int)Math.Min(batchSize, events - seq);
            buffer.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteStartArray("batch");
                for (var i = 0; i < n; i++, seq++)
                {
                    WriteMessage(w, random, people, idPrefix, seq, now);
                }

                w.WriteEndArray();
                w.WriteString("sentAt", sentAt);
                w.WriteEndObject();
            }

            batches[b] = new PreparedBatch(buffer.WrittenSpan.ToArray(), n);
        }

        return batches;
    }

    private static void WriteMessage(Utf8JsonWriter w, Random random, int people, string idPrefix, long seq, DateTime now)
    {
        var person = random.Next(people);
        var known = person % 3 == 0;
        var roll = random.Next(100);
        var type = roll < 50 ? "page" : roll < 90 ? "track" : "identify";
        if (type == "identify" && !known)
        {
            type = "page";
        }

        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("messageId", string.Create(CultureInfo.InvariantCulture, $"{idPrefix}-{seq}"));
        w.WriteString("anonymousId", string.Create(CultureInfo.InvariantCulture, $"anon-{person:x6}-{(person * 2654435761L) & 0xffffff:x6}"));
        if (known && (type == "identify" || random.Next(2) == 0))
        {
            w.WriteString("userId", string.Create(CultureInfo.InvariantCulture, $"user-{person}"));
        }

        // Spread over the last three days, a little before sentAt (the server corrects for clock skew with it).
        w.WriteString("timestamp", Iso(now.AddSeconds(-random.Next(3 * 24 * 3600))));
        var path = Pages[random.Next(Pages.Length)];
        w.WriteStartObject("context");
        if (random.Next(3) == 0)
        {
            var c = Campaigns[random.Next(Campaigns.Length)];
            w.WriteStartObject("campaign");
            w.WriteString("source", c.Source);
            w.WriteString("medium", c.Medium);
            w.WriteString("name", c.Name);
            w.WriteEndObject();
        }

        w.WriteStartObject("page");
        w.WriteString("path", path);
        w.WriteString("url", "https://shop.example.com" + path);
        w.WriteString("referrer", Referrers[random.Next(Referrers.Length)]);
        w.WriteString("title", "Pretzel shop");
        w.WriteEndObject();
        w.WriteString("userAgent", Agents[random.Next(Agents.Length)]);
        w.WriteString("ip", string.Create(CultureInfo.InvariantCulture, $"10.{person >> 16 & 255}.{person >> 8 & 255}.{person & 255}"));
        w.WriteString("locale", "en-US");
        w.WriteStartObject("library");
        w.WriteString("name", "analytics.js");
        w.WriteString("version", "5.2.0");
        w.WriteEndObject();
        w.WriteEndObject();

        switch (type)
        {
            case "page":
                w.WriteString("name", path == "/" ? "Home" : path.TrimStart('/'));
                w.WriteStartObject("properties");
                w.WriteString("path", path);
                w.WriteString("title", "Pretzel shop");
                w.WriteEndObject();
                break;
            case "track":
                var name = Tracks[random.Next(Tracks.Length)];
                w.WriteString("event", name);
                w.WriteStartObject("properties");
                w.WriteString("product_id", string.Create(CultureInfo.InvariantCulture, $"sku-{random.Next(500)}"));
                w.WriteString("category", random.Next(2) == 0 ? "classic" : "salted");
                if (name == "Order Completed")
                {
                    w.WriteNumber("revenue", Math.Round(5 + random.NextDouble() * 120, 2));
                    w.WriteString("currency", "EUR");
                    w.WriteString("order_id", string.Create(CultureInfo.InvariantCulture, $"o-{seq}"));
                }
                else
                {
                    w.WriteNumber("price", Math.Round(2 + random.NextDouble() * 20, 2));
                    w.WriteNumber("quantity", 1 + random.Next(3));
                }

                w.WriteEndObject();
                break;
            default:
                w.WriteStartObject("traits");
                w.WriteString("email", string.Create(CultureInfo.InvariantCulture, $"person{person}@example.com"));
                w.WriteString("plan", random.Next(4) == 0 ? "pro" : "free");
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
