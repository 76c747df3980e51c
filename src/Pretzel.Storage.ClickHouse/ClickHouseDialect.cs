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
}
