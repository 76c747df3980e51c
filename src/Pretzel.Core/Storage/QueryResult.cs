namespace Pretzel.Core.Storage;

/// <summary>Rows returned by a read-only query: column names and one value array per row.</summary>
public sealed class QueryResult
{
    public QueryResult(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows; each array is aligned with <see cref="Columns"/>. Values are CLR primitives, strings, DateTime or null.</summary>
    public IReadOnlyList<object?[]> Rows { get; }
}
