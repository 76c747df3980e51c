namespace Pretzel.Ingest.Import;

/// <summary>Where one input column goes: an event field, a named property, or nowhere.</summary>
internal readonly record struct ColumnTarget(EventField? Field, string? Property)
{
    internal static ColumnTarget Drop => new(null, null);

    internal bool IsDropped => Field is null && Property is null;
}
