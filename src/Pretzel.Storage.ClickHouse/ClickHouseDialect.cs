using Pretzel.Core.Storage;

namespace Pretzel.Storage.ClickHouse;

/// <summary>ClickHouse's spellings of <see cref="ISqlDialect"/> (valid on 18.16 and current releases).</summary>
public sealed class ClickHouseDialect : ISqlDialect
{
    public static ClickHouseDialect Instance { get; } = new();

    public string Name => "clickhouse";

    // DateTime has whole seconds in 18.16; the exact times live in the _us columns.
    public string TimestampMicros => "timestamp_us";

    public string ReceivedAtMicros => "received_at_us";

    public string CountIf(string condition) => $"countIf({condition})";

    public string SortedArray(string expression) => $"arraySort(groupArray({expression}))";

    public string ArrayLength(string array) => $"length({array})";

    /// <inheritdoc />
    public string Text(string expression) => $"toString({expression})";

    /// <inheritdoc />
    /// <remarks>
    /// 18.16's JSON functions are the visitParam family: they take the first <c>"key":</c> in the text,
    /// at whatever depth, and expect no space before the colon (as the stored JSON has none).
    /// </remarks>
    public string PropertyText(string column, string key)
    {
        var raw = $"visitParamExtractRaw({column}, '{key}')";
        return $"multiIf({raw} = '' OR {raw} = 'null' OR substring({raw}, 1, 1) IN ('{{', '['), NULL, "
            + $"substring({raw}, 1, 1) = '\"', visitParamExtractString({column}, '{key}'), {raw})";
    }

    /// <inheritdoc />
    public string ToNumber(string expression) => $"toFloat64OrNull({expression})";

    /// <inheritdoc />
    public string StringLiteral(string value) => ClickHouseSql.Literal(value);
}
