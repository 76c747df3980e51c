using System.Text.Json;

namespace Pretzel.Cli.Tests.Commands;

/// <summary>
/// <c>pretzel import FILES --select SQL</c>: a shop export (samples of the UCI Online Retail data: no message id, no
/// event name, revenue = Quantity × UnitPrice, rows without a customer) becomes events in one command.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ImportSelectCommandTests : IDisposable
{
    private const string Invoices = """
        SELECT min(_file || ':' || _line) AS _origin, 'retail-' || InvoiceNo AS message_id,
               CASE WHEN InvoiceNo LIKE 'C%' THEN 'refund' ELSE 'purchase' END AS event,
               min(InvoiceDate) AT TIME ZONE 'Europe/London' AS timestamp, CAST(CustomerID AS VARCHAR) AS user_id,
               round(sum(Quantity * UnitPrice), 2) AS revenue, 'GBP' AS currency, count(*) AS lines
        FROM input GROUP BY InvoiceNo, CustomerID ORDER BY timestamp, InvoiceNo
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Pattern => RepositoryData.File("online_retail", "online_retail_part*_head.csv");

    /// <summary>The sample's data rows, parsed independently: file name, line, invoice, quantity, unit price, customer.</summary>
    private static List<(string File, int Line, string Invoice, double Quantity, double Price, string Customer)> Lines()
    {
        var result = new List<(string, int, string, double, double, string)>();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Pattern)!, "online_retail_part*_head.csv").Order(StringComparer.Ordinal))
        {
            var lines = System.IO.File.ReadAllLines(file);
            for (var i = 1; i < lines.Length; i++)
            {
                var f = Split(lines[i]);
                result.Add((Path.GetFileName(file), i + 1, f[0], double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture),
                    double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture), f[6]));
            }
        }

        return result;
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    [Fact]
    public async Task A_glob_of_shop_exports_becomes_one_purchase_per_invoice_with_guest_invoices_reported_by_file_and_line()
    {
        var db = _temp.File("retail.duckdb");
        var rejects = _temp.File("rejects.csv");
        var lines = Lines();
        var invoices = lines.GroupBy(l => l.Invoice).ToList();
        var guests = invoices.Where(g => g.First().Customer.Length == 0).ToList();
        Assert.NotEmpty(guests);

        var result = await CliRun.Run("import", Pattern, "--db", db, "--select", Invoices, "--rejects", rejects, "--format", "json");
        Assert.True(result.Exit == 0, result.ToString());
        using (var doc = JsonDocument.Parse(result.Out))
        {
            var row = doc.RootElement[0];
            Assert.Equal(invoices.Count, row.GetProperty("rows").GetInt64());
            Assert.Equal(invoices.Count - guests.Count, row.GetProperty("written").GetInt64());
            Assert.Equal(guests.Count, row.GetProperty("rejected").GetInt64());
        }

        // Each guest invoice is named by the file and line of its first row, on screen and in the rejects file.
        var rejected = System.IO.File.ReadAllLines(rejects);
        Assert.Equal("line,column,value,reason", rejected[0]);
        foreach (var guest in guests)
        {
            var where = $"{guest.First().File}:{guest.First().Line}";
            Assert.Contains($"{where}, column user_id: needs an anonymous_id or a user_id", result.Error, StringComparison.Ordinal);
            Assert.Contains(rejected, r => r.StartsWith(where + ",user_id,", StringComparison.Ordinal));
        }

        // Revenue is Σ quantity × price per invoice; refunds (C…) are their own events.
        var stored = await CliRun.Run("sql", "--db", db, "SELECT message_id, event, revenue, user_id FROM events ORDER BY message_id", "--format", "json");
        using (var doc = JsonDocument.Parse(stored.Out))
        {
            var events = doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("message_id").GetString()!);
            foreach (var invoice in invoices.Where(g => g.First().Customer.Length > 0))
            {
                var e = events["retail-" + invoice.Key];
                Assert.Equal(Math.Round(invoice.Sum(l => l.Quantity * l.Price), 2), e.GetProperty("revenue").GetDouble(), 6);
                Assert.Equal(invoice.Key.StartsWith('C') ? "refund" : "purchase", e.GetProperty("event").GetString());
                Assert.Equal(invoice.First().Customer, e.GetProperty("user_id").GetString());
            }
        }

        // Wall-clock times of a UK shop, read as London time: 2010-12-01 08:26 (GMT) is 08:26Z.
        var first = await CliRun.Run("sql", "--db", db, "SELECT min(timestamp) AS t FROM events", "--format", "csv");
        Assert.Contains("2010-12-01T08:26:00", first.Out, StringComparison.Ordinal);

        // The same command again stores nothing new.
        var again = await CliRun.Run("import", Pattern, "--db", db, "--select", Invoices, "--rejects", rejects, "--format", "json");
        using var twice = JsonDocument.Parse(again.Out);
        Assert.Equal(0, twice.RootElement[0].GetProperty("written").GetInt64());
        Assert.Equal(invoices.Count - guests.Count, twice.RootElement[0].GetProperty("duplicates").GetInt64());
    }

    [Fact]
    public async Task A_select_list_with_constants_expressions_and_a_filter_names_each_rejected_rows_file_and_line()
    {
        var db = _temp.File("lines.duckdb");
        var rejects = _temp.File("rejects.csv");
        var lines = Lines().Where(l => l.Quantity > 0).ToList();
        var result = await CliRun.Run("import", Pattern, "--db", db, "--rejects", rejects, "--format", "json",
            "--select", "'order_line' AS event, InvoiceDate AS timestamp, CustomerID AS user_id, Quantity * UnitPrice AS revenue, 'GBP' AS currency, StockCode AS sku",
            "--where", "Quantity > 0");
        Assert.True(result.Exit == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(lines.Count, doc.RootElement[0].GetProperty("rows").GetInt64());
        var guests = lines.Where(l => l.Customer.Length == 0).ToList();
        Assert.Equal(guests.Count, doc.RootElement[0].GetProperty("rejected").GetInt64());
        Assert.Equal(
            guests.Select(g => $"{g.File}:{g.Line}").Order(StringComparer.Ordinal),
            System.IO.File.ReadAllLines(rejects).Skip(1).Select(r => r.Split(',')[0]).Order(StringComparer.Ordinal));

        // Identical lines (the export repeats some) are all kept, as the file has them.
        var count = await CliRun.Run("sql", "--db", db, "SELECT count(*) AS n, count(DISTINCT properties->>'sku') AS skus FROM events", "--format", "json");
        using var counted = JsonDocument.Parse(count.Out);
        Assert.Equal(lines.Count - guests.Count, counted.RootElement[0].GetProperty("n").GetInt64());
        Assert.True(counted.RootElement[0].GetProperty("skus").GetInt64() > 100);
    }

    [Fact]
    public async Task Bad_select_sql_and_a_pattern_that_matches_nothing_are_clear_errors()
    {
        var db = _temp.File("bad.duckdb");
        var bad = await CliRun.Run("import", Pattern, "--db", db, "--select", "Quantity * NoSuchColumn AS revenue, InvoiceDate AS timestamp, CustomerID AS user_id");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("--select", bad.Error, StringComparison.Ordinal);
        Assert.Contains("NoSuchColumn", bad.Error, StringComparison.Ordinal);

        var none = await CliRun.Run("import", Path.Combine(_temp.Path, "nothing-*.csv"), "--db", db);
        Assert.Equal(2, none.Exit);
        Assert.Contains("no file matches", none.Error, StringComparison.Ordinal);

        var where = await CliRun.Run("import", Pattern, "--db", db, "--where", "Quantity > 0");
        Assert.Equal(2, where.Exit);
        Assert.Contains("--where", where.Error, StringComparison.Ordinal);
    }
}
