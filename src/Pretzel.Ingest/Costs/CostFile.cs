using System.Globalization;
using Pretzel.Core.Costs;
using Sylvan.Data.Csv;

namespace Pretzel.Ingest.Costs;

/// <summary>A cost row that was not accepted: its line, the column at fault (if one) and why.</summary>
public sealed record CostRejection(int Line, string? Column, string Reason)
{
    public override string ToString() => Column is null ? $"line {Line}: {Reason}" : $"line {Line}, column {Column}: {Reason}";
}

/// <summary>What reading a cost file gave: the accepted entries and the rejected rows.</summary>
public sealed record CostFileResult(IReadOnlyList<CostEntry> Entries, IReadOnlyList<CostRejection> Rejected);

/// <summary>
/// Reads ad costs from CSV (separator detected: <c>,</c> <c>;</c> or tab) with the columns <c>date</c>
/// (YYYY-MM-DD), <c>channel</c>, <c>campaign</c> (optional), <c>cost</c> (a non-negative number, <c>.</c> for
/// decimals) and <c>currency</c> (optional when a default currency is given). Channel names are written
/// like event channels (lower case, spaces as <c>_</c>). A bad row is rejected with its line and column;
/// the others are kept. A second row for the same date, channel and campaign is rejected, naming the first.
/// </summary>
public static class CostFile
{
    public static CostFileResult Read(TextReader text, string? defaultCurrency)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Delimiter = null, CsvStyle = CsvStyle.Standard });
        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().ToLowerInvariant()).ToList();
        int Column(string name, bool required) =>
            columns.IndexOf(name) is var i && (i >= 0 || !required) ? i
            : throw new CostFileException($"the header has no '{name}' column (expected date, channel, campaign, cost, currency; found {string.Join(", ", columns)})");
        var date = Column("date", true);
        var channel = Column("channel", true);
        var campaign = Column("campaign", false);
        var cost = Column("cost", true);
        var currency = Column("currency", defaultCurrency is null);

        var entries = new List<CostEntry>();
        var rejected = new List<CostRejection>();
        var firstLine = new Dictionary<(DateOnly, string, string), int>();
        var line = 1;
        while (csv.Read())
        {
            line++;
            string Field(int i) => i >= 0 && i < csv.RowFieldCount ? csv.GetString(i).Trim() : "";
            if (!DateOnly.TryParseExact(Field(date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                rejected.Add(new CostRejection(line, "date", $"'{Field(date)}' is not a date (YYYY-MM-DD)"));
                continue;
            }

            var name = Field(channel).ToLowerInvariant().Replace(' ', '_');
            if (name.Length == 0)
            {
                rejected.Add(new CostRejection(line, "channel", "no channel"));
                continue;
            }

            if (!double.TryParse(Field(cost), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount)
                || !double.IsFinite(amount) || amount < 0)
            {
                rejected.Add(new CostRejection(line, "cost", $"'{Field(cost)}' is not a non-negative number"));
                continue;
            }

            var code = (currency >= 0 && Field(currency).Length > 0 ? Field(currency) : defaultCurrency ?? "").ToUpperInvariant();
            if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
            {
                rejected.Add(new CostRejection(line, "currency", code.Length == 0 ? "no currency (add a currency column or --currency)" : $"'{code}' is not a three-letter currency code"));
                continue;
            }

            var key = (day, name, Field(campaign));
            if (firstLine.TryGetValue(key, out var first))
            {
                rejected.Add(new CostRejection(line, null, $"a second cost for {day:yyyy-MM-dd}, {name}, '{key.Item3}' (the first is on line {first})"));
                continue;
            }

            firstLine[key] = line;
            entries.Add(new CostEntry(day, name, key.Item3, amount, code));
        }

        return new CostFileResult(entries, rejected);
    }
}

/// <summary>A cost file that cannot be read at all (e.g. a missing column); the message says why.</summary>
public sealed class CostFileException(string message) : Exception(message);
