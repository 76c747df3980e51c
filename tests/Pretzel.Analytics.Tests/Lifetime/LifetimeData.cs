using System.Globalization;
using Pretzel.Analytics.Journeys;
using Pretzel.Analytics.Lifetime;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>
/// The published data sets kept in the repository (tests/data/cdnow and tests/data/fader_hardie_2007, each with its
/// NOTICE.md), found from the test's folder upwards so that the tests run wherever the repository is.
/// </summary>
internal static class LifetimeData
{
    private static readonly Lazy<IReadOnlyList<CustomerSummary>> CdnowSummaries = new(() => ReadSummaries("cdnow_customers_summary.csv"));
    private static readonly Lazy<IReadOnlyList<CustomerSummary>> CdnowWithValue = new(() => ReadSummaries("cdnow_customers_summary_with_transactions.csv"));

    /// <summary>2,357 customers, ID,frequency,recency,T (weeks, calibration ending 1997-09-30).</summary>
    public static IReadOnlyList<CustomerSummary> Cdnow => CdnowSummaries.Value;

    /// <summary>The same customers with zbar, ID,x,t_x,T,zbar.</summary>
    public static IReadOnlyList<CustomerSummary> CdnowWithSpend => CdnowWithValue.Value;

    public static string File(string folder, string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !System.IO.File.Exists(Path.Combine(root.FullName, "Pretzel.slnx")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, $"no folder above {AppContext.BaseDirectory} holds Pretzel.slnx: cannot find the repository root");
        var file = Path.Combine(root!.FullName, "tests", "data", folder, name);
        Assert.True(System.IO.File.Exists(file), $"missing test data {file} (see NOTICE.md beside it)");
        return file;
    }

    /// <summary>
    /// CDNOW_sample.txt (<c>master_id sample_id date(YYYYMMDD) cds dollars</c>) as event columns: person = the sample id
    /// (the summary files' ID), one <c>purchase</c> event at midnight UTC of its date with the dollars as revenue.
    /// </summary>
    public static EventColumns CdnowTransactions()
    {
        var people = System.IO.File.ReadLines(File("cdnow", "CDNOW_sample.txt"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5)
            .Select(f => (Person: int.Parse(f[1], CultureInfo.InvariantCulture), Date: DateTime.ParseExact(f[2], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                Dollars: double.Parse(f[4], CultureInfo.InvariantCulture)))
            .GroupBy(t => t.Person)
            .OrderBy(g => g.Key)
            .Select(g => new PersonJourney(g.Key.ToString(CultureInfo.InvariantCulture), [.. g.OrderBy(t => t.Date).Select((t, i) =>
                new JourneyEvent(EventTime.ToMicros(t.Date), $"m{i:D4}", "track", "purchase", null, null, null, null, null, t.Dollars))]))
            .ToList();
        return JourneyColumns.FromJourneys(people);
    }

    /// <summary>The Fader and Hardie (2007) survival counts of a segment for years 0..7: round(pct × 10).</summary>
    public static IReadOnlyList<long> Retention(string segment)
    {
        var lines = System.IO.File.ReadAllLines(File("fader_hardie_2007", "customer_retention.csv"));
        var column = Array.IndexOf(lines[0].Split(','), segment);
        return [.. lines.Skip(1).Take(8).Select(l => (long)Math.Round(double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture) * 10))];
    }

    private static IReadOnlyList<CustomerSummary> ReadSummaries(string name)
    {
        using var reader = new StreamReader(File("cdnow", name));
        var result = CustomerSummaryFile.Read(reader);
        Assert.Empty(result.Rejected);
        return result.Customers;
    }
}
