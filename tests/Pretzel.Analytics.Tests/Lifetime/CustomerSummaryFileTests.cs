using Pretzel.Analytics.Lifetime;

namespace Pretzel.Analytics.Tests.Lifetime;

/// <summary>Reading summaries from CSV: both headers, any order and case, separators, and bad rows with line and column.</summary>
public sealed class CustomerSummaryFileTests
{
    private static CustomerSummaryFileResult Read(string text) => CustomerSummaryFile.Read(new StringReader(text));

    [Fact]
    public void Reads_lifetimes_header_and_the_papers_header_in_any_order_and_case()
    {
        var lifetimes = Read("ID,frequency,recency,T\n1,2.0,30.43,38.86\n2,0,0,38.86\n");
        Assert.Equal([new CustomerSummary("1", 2, 30.43, 38.86), new CustomerSummary("2", 0, 0, 38.86)], lifetimes.Customers);

        var papers = Read("zbar;T;t_x;X;customer_id\r\n22.35;38.86;30.43;2;a\r\n");
        Assert.Equal(new CustomerSummary("a", 2, 30.43, 38.86, 22.35), Assert.Single(papers.Customers));

        var monetary = Read("id\tfrequency\trecency\tT\tmonetary_value\textra\n7\t1\t3\t4\t9.5\tignored\n");
        Assert.Equal(new CustomerSummary("7", 1, 3, 4, 9.5), Assert.Single(monetary.Customers));
    }

    [Fact]
    public void Bad_rows_are_rejected_with_their_line_and_column_and_the_good_ones_kept()
    {
        var result = Read("""
            ID,x,t_x,T,zbar
            1,2,30.43,38.86,22.35
            2,1.5,3,10,1
            3,-1,0,10,0
            4,0,2,10,0
            5,3,12,10,5
            6,1,3,abc,5
            ,1,1,1,1
            1,1,1,2,1
            7,1,3,10,-4
            8,1,3,10,

            9,1,3,10,abc
            """);
        Assert.Equal(["1", "8"], result.Customers.Select(c => c.Id));
        Assert.Equal(0, result.Customers[1].Zbar);
        Assert.Equal(
        [
            "line 3, column x: '1.5' is not a whole non-negative number",
            "line 4, column x: '-1' is not a whole non-negative number",
            "line 5, column t_x: 2 with no repeat transactions (x 0): it must be 0",
            "line 6, column T: 10 is less than t_x 12: the last purchase cannot be after the end",
            "line 7, column T: 'abc' is not a non-negative number",
            "line 8, column ID: no ID",
            "line 9, column ID: a second row for 1 (the first is on line 2)",
            "line 10, column zbar: '-4' is not a non-negative number",
            "line 13, column zbar: 'abc' is not a non-negative number",
        ], result.Rejected.Select(r => r.ToString()));
    }

    [Fact]
    public void A_header_without_a_needed_column_is_refused_naming_it()
    {
        var ex = Assert.Throws<LifetimeException>(() => Read("ID,frequency,T\n1,0,3\n"));
        Assert.Contains("no 't_x' column", ex.Message, StringComparison.Ordinal);
        Assert.Contains("found id, frequency, t", ex.Message, StringComparison.Ordinal);
    }
}
