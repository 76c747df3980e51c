using Pretzel.Core.Storage;

namespace Pretzel.Core.Tests.Storage;

public class SqlStatementScannerTests
{
    private static readonly SqlStatementScanner DuckDbLike = new(backslashEscapes: false, backticks: false, dollarQuotes: true);
    private static readonly SqlStatementScanner ClickHouseLike = new(backslashEscapes: true, backticks: true, dollarQuotes: false);

    [Fact]
    public void Scan_SkipsLiteralsNamesAndComments()
    {
        var (words, statements) = DuckDbLike.Scan("select 'drop' as \"delete\", $$insert$$ -- update\n/* alter */ from t");
        Assert.Equal(["SELECT", "AS", "FROM", "T"], words);
        Assert.Equal(1, statements);
    }

    [Fact]
    public void Scan_BackslashEscapedQuote_StaysInsideTheLiteral()
    {
        Assert.Equal(["SELECT", "AS", "X"], ClickHouseLike.Scan("select 'it\\' drop' as x").Words);
        Assert.Equal(["SELECT", "FROM", "T"], ClickHouseLike.Scan("select `delete` from t").Words);
    }

    [Fact]
    public void Scan_QualifiedNames_AreNotKeywords()
    {
        Assert.Equal(["SELECT", "FROM"], DuckDbLike.Scan("select e.set from e.delete").Words);
    }

    [Theory]
    [InlineData("select 1; select 2", 2)]
    [InlineData("select 1;", 1)]
    [InlineData(";;", 0)]
    public void Scan_CountsStatements(string sql, int expected) => Assert.Equal(expected, DuckDbLike.Scan(sql).Statements);

    [Fact]
    public void ThrowIfNotAQuery_WriteHiddenInACte_IsRefused()
    {
        var starts = new HashSet<string>(["SELECT", "WITH"]);
        var writes = new HashSet<string>(["DELETE"]);
        var ex = Assert.Throws<StoreException>(() => DuckDbLike.ThrowIfNotAQuery("with x as (select 1) delete from t", starts, writes, "SELECT"));
        Assert.Contains("DELETE", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["SELECT", "FROM", "T"], DuckDbLike.ThrowIfNotAQuery("select 1 from t", starts, writes, "SELECT").Skip(0).Where(w => w != "1"));
    }
}
