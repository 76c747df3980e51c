using System.Globalization;
using System.Text;

namespace Pretzel.Bench.Import;

/// <summary>
/// Writes a plain event CSV of the shape a tracking export has: message_id, type, event, timestamp,
/// anonymous_id, user_id, utm source/medium/campaign, revenue, currency. Seeded, so runs compare.
/// </summary>
internal static class BenchmarkCsv
{
    private static readonly string[] Events = ["page_view", "product_viewed", "add_to_cart", "checkout_started", "purchase", "sign_up", "email_opened", "support_contact"];
    private static readonly (string? Source, string? Medium, string? Campaign)[] Touches =
    [
        ("google", "cpc", "brand"), ("google", "organic", null), ("facebook", "paid_social", "spring_sale"), ("newsletter", "email", "weekly"),
        (null, null, null), ("partner.example", "referral", null), ("bing", "cpc", "generic"), ("instagram", "social", null),
    ];

    internal static void Write(string path, int events)
    {
        var random = new Random(42);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("message_id,type,event,timestamp,anonymous_id,user_id,utm_source,utm_medium,utm_campaign,revenue,currency\n");
        var sb = new StringBuilder(256);
        for (var i = 0; i < events; i++)
        {
            var person = random.Next(events / 10 + 1);
            var name = Events[random.Next(Events.Length)];
            var touch = Touches[random.Next(Touches.Length)];
            var ts = start.AddSeconds(random.Next(365 * 24 * 3600));
            sb.Clear();
            sb.Append("msg-").Append(i).Append(",track,").Append(name).Append(',')
              .Append(ts.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append(',')
              .Append("anon-").Append(person).Append(',');
            if (person % 3 == 0)
            {
                sb.Append("user-").Append(person);
            }

            sb.Append(',').Append(touch.Source).Append(',').Append(touch.Medium).Append(',').Append(touch.Campaign).Append(',');
            if (name == "purchase")
            {
                sb.Append((random.Next(1000, 20000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).Append(",EUR");
            }
            else
            {
                sb.Append(',');
            }

            sb.Append('\n');
            writer.Write(sb);
        }
    }
}
