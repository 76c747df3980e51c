using Pretzel.Core.Costs;
using Pretzel.Ingest.Costs;

namespace Pretzel.Ingest.Tests.Costs;

public sealed class CostFileTests
{
    [Fact]
    public void Good_rows_are_kept_and_bad_ones_named_by_line_and_column()
    {
        const string Text = """
            date;channel;campaign;cost;currency
            2025-02-01;Paid Search;brand;12.5;eur
            2025-02-01;paid_search;brand;1;EUR
            bad;x;;1;EUR
            2025-02-02;display;;-3;EUR
            2025-02-03;display;;3;EURO
            2025-02-04;display;;3e1;USD
            """;
        var result = CostFile.Read(new StringReader(Text), null);
        Assert.Equal(
            [new CostEntry(new DateOnly(2025, 2, 1), "paid_search", "brand", 12.5, "EUR"), new CostEntry(new DateOnly(2025, 2, 4), "display", "", 30, "USD")],
            result.Entries);
        Assert.Equal(["line 3: a second cost for 2025-02-01, paid_search, 'brand' (the first is on line 2)",
            "line 4, column date: 'bad' is not a date (YYYY-MM-DD)",
            "line 5, column cost: '-3' is not a non-negative number",
            "line 6, column currency: 'EURO' is not a three-letter currency code"], result.Rejected.Select(r => r.ToString()));
    }

    [Fact]
    public void The_currency_column_may_be_left_out_with_a_default_and_the_separator_is_detected()
    {
        var result = CostFile.Read(new StringReader("date,channel,cost\n2025-03-01,email,5\n"), "gbp");
        Assert.Equal(new CostEntry(new DateOnly(2025, 3, 1), "email", "", 5, "GBP"), Assert.Single(result.Entries));
        Assert.Empty(result.Rejected);

        var tabs = CostFile.Read(new StringReader("date\tchannel\tcost\n2025-03-01\temail\t5\n"), "EUR");
        Assert.Equal("email", Assert.Single(tabs.Entries).Channel);
        Assert.Contains("no 'currency' column", Assert.Throws<CostFileException>(() => CostFile.Read(new StringReader("date,channel,cost\n"), null)).Message, StringComparison.Ordinal);
    }
}
