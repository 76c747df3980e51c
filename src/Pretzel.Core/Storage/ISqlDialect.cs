namespace Pretzel.Core.Storage;

/// <summary>
/// The SQL spellings that differ between the stores' engines, so an analysis states a query once and
/// each store fills in its own spelling. Every member returns an SQL expression over the store's
/// <c>events</c> / <c>person_events</c> columns. Grows with the analyses; each member is covered by
/// the store contract suite, which runs the same query on every store and compares the rows.
/// </summary>
public interface ISqlDialect
{
    /// <summary>The engine: <c>duckdb</c> or <c>clickhouse</c>.</summary>
    string Name { get; }

    /// <summary>The event time as exact microseconds since 1970 (an integer).</summary>
    string TimestampMicros { get; }

    /// <summary>The receive time as exact microseconds since 1970 (an integer).</summary>
    string ReceivedAtMicros { get; }

    /// <summary>Counts the rows of a group for which <paramref name="condition"/> holds.</summary>
    string CountIf(string condition);

    /// <summary>Collects the non-null values of <paramref name="expression"/> over a group into an array, sorted ascending.</summary>
    string SortedArray(string expression);

    /// <summary>The number of elements of an array expression.</summary>
    string ArrayLength(string array);

    /// <summary><paramref name="expression"/> (an ENUM or low-cardinality column) as plain text.</summary>
    string Text(string expression);

    /// <summary>
    /// The text of top-level property <paramref name="key"/> (letters, digits, '_') of the JSON in
    /// <paramref name="column"/>: a string's value, a number's or boolean's JSON text; NULL when the
    /// property is missing, null, an object or an array.
    /// </summary>
    string PropertyText(string column, string key);

    /// <summary><paramref name="expression"/> (text) as a floating-point number, or NULL when it is not one.</summary>
    string ToNumber(string expression);

    /// <summary><paramref name="value"/> as a string literal.</summary>
    string StringLiteral(string value);
}
