using System.Globalization;
using Sylvan.Data.Csv;

namespace Pretzel.Analytics.Lifetime;

/// <summary>A summary row that was not accepted: its line, the column at fault (if one) and why.</summary>
public sealed record CustomerSummaryRejection(long Line, string? Column, string Reason)
{
    public override string ToString() => Column is null ? $"line {Line}: {Reason}" : $"line {Line}, column {Column}: {Reason}";
}

/// <summary>What reading a summary file gave: the accepted customers and the rejected rows.</summary>
public sealed record CustomerSummaryFileResult(IReadOnlyList<CustomerSummary> Customers, IReadOnlyList<CustomerSummaryRejection> Rejected);

/// <summary>
/// Reads per-customer summaries from CSV (separator detected: <c>,</c> <c>;</c> or tab; RFC 4180 quoting) with a header
/// naming, in any order and any case, <c>ID</c> (or <c>customer_id</c>, <c>person_id</c>), <c>x</c> (or lifetimes'
/// <c>frequency</c>), <c>t_x</c> (or <c>recency</c>), <c>T</c> and optionally <c>zbar</c> (or <c>monetary_value</c>);
/// other columns are ignored. Blank lines are skipped. A bad row is rejected with its line and column and the others are
/// kept; a bad header throws <see cref="LifetimeException"/>.
/// </summary>
public static class CustomerSummaryFile
{
    private static readonly string[] IdNames = ["id", "customer_id", "person_id"];
    private static readonly string[] XNames = ["x", "frequency"];
    private static readonly string[] TxNames = ["t_x", "recency"];
    private static readonly string[] TNames = ["t"];
    private static readonly string[] ZbarNames = ["zbar", "monetary_value"];

    public static CustomerSummaryFileResult Read(TextReader text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Delimiter = null, CsvStyle = CsvStyle.Standard });
        var names = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().ToLowerInvariant()).ToList();
        int Column(string[] accepted, bool required)
        {
            var i = names.FindIndex(accepted.Contains);
            return i >= 0 || !required ? i
                : throw new LifetimeException($"the header has no '{accepted[0]}' column (expected ID, x, t_x, T[, zbar] or ID, frequency, recency, T[, monetary_value]; found {string.Join(", ", names)})");
        }

        var (id, x, tx, t, zbar) = (Column(IdNames, true), Column(XNames, true), Column(TxNames, true), Column(TNames, true), Column(ZbarNames, false));
        var columnNames = names.Select((_, i) => csv.GetName(i).Trim()).ToList();
        var customers = new List<CustomerSummary>();
        var rejected = new List<CustomerSummaryRejection>();
        var firstLine = new Dictionary<string, long>(StringComparer.Ordinal);
        while (csv.Read())
        {
            // Sylvan numbers the data rows from 1; after the header line that is the line, unless a quoted field spans lines.
            var line = csv.RowNumber + 1L;
            string Field(int i) => i >= 0 && i < csv.RowFieldCount ? csv.GetString(i).Trim() : "";
            CustomerSummaryRejection Reject(int column, string reason) => new(line, columnNames[column], reason);
            if (Enumerable.Range(0, csv.RowFieldCount).All(i => Field(i).Length == 0))
            {
                continue; // a blank line
            }

            var name = Field(id);
            if (name.Length == 0)
            {
                rejected.Add(Reject(id, "no ID"));
                continue;
            }

            if (!TryNumber(Field(x), out var frequency) || frequency < 0 || frequency != Math.Floor(frequency) || frequency > int.MaxValue)
            {
                rejected.Add(Reject(x, $"'{Field(x)}' is not a whole non-negative number"));
                continue;
            }

            if (!TryNumber(Field(tx), out var recency) || recency < 0)
            {
                rejected.Add(Reject(tx, $"'{Field(tx)}' is not a non-negative number"));
                continue;
            }

            if (!TryNumber(Field(t), out var age) || age < 0)
            {
                rejected.Add(Reject(t, $"'{Field(t)}' is not a non-negative number"));
                continue;
            }

            if (frequency == 0 && recency != 0)
            {
                rejected.Add(Reject(tx, $"{Field(tx)} with no repeat transactions ({columnNames[x]} 0): it must be 0"));
                continue;
            }

            if (age < recency)
            {
                rejected.Add(Reject(t, $"{Field(t)} is less than {columnNames[tx]} {Field(tx)}: the last purchase cannot be after the end"));
                continue;
            }

            var value = 0.0;
            if (zbar >= 0 && Field(zbar).Length > 0 && (!TryNumber(Field(zbar), out value) || value < 0))
            {
                rejected.Add(Reject(zbar, $"'{Field(zbar)}' is not a non-negative number"));
                continue;
            }

            if (!firstLine.TryAdd(name, line))
            {
                rejected.Add(Reject(id, $"a second row for {name} (the first is on line {firstLine[name]})"));
                continue;
            }

            customers.Add(new CustomerSummary(name, (int)frequency, recency, age, value));
        }

        return new CustomerSummaryFileResult(customers, rejected);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
