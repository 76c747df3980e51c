using Pretzel.Core.Storage;

namespace Pretzel.Storage.DuckDb;

/// <summary>DuckDB's spellings of <see cref="ISqlDialect"/>.</summary>
public sealed class DuckDbDialect : ISqlDialect
{
    public static DuckDbDialect Instance { get; } = new();

    public string Name => "duckdb";

    public string TimestampMicros => "epoch_us(timestamp)";

    public string ReceivedAtMicros => "epoch_us(received_at)";

    public string CountIf(string condition) => $"count(*) FILTER (WHERE {condition})";

    // ClickHouse's groupArray leaves out nulls; DuckDB's list keeps them unless told otherwise.
    public string SortedArray(string expression) => $"list_sort(list({expression}) FILTER (WHERE ({expression}) IS NOT NULL))";

    public string ArrayLength(string array) => $"len({array})";

    /// <inheritdoc />
    public string Text(string expression) => $"CAST({expression} AS VARCHAR)";

    /// <inheritdoc />
    public string PropertyText(string column, string key)
    {
        var path = $"'$.\"{key}\"'";
        return $"CASE WHEN json_type({column}, {path}) NOT IN ('NULL', 'OBJECT', 'ARRAY') THEN json_extract_string({column}, {path}) END";
    }

    /// <inheritdoc />
    public string ToNumber(string expression) => $"TRY_CAST({expression} AS DOUBLE)";

    /// <inheritdoc />
    public string StringLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
