namespace Pretzel.Ingest.Import;

/// <summary>One input row as text, before validation: a value per event field plus extra columns that become properties.</summary>
internal sealed class RawRow
{
    internal string?[] Values { get; } = new string?[EventFields.Count];

    /// <summary>Columns that are not event fields: (name, value), stored as string properties.</summary>
    internal List<KeyValuePair<string, string>> Extras { get; } = [];

    /// <summary>
    /// The parsed <c>properties</c> object, when the reader still holds its document while the row is built
    /// (the collector does); saves parsing <see cref="EventField.Properties"/> text a second time.
    /// </summary>
    internal System.Text.Json.JsonElement? PropertiesElement { get; set; }

    /// <summary>Where the row came from, when the input says so (<see cref="ImportOptions.OriginColumn"/>).</summary>
    internal string? Origin { get; set; }

    /// <summary>1-based line where the row starts.</summary>
    internal long Line { get; set; }

    internal string? this[EventField field]
    {
        get => Values[(int)field];
        set => Values[(int)field] = value;
    }

    internal void Clear()
    {
        Array.Clear(Values);
        Extras.Clear();
        PropertiesElement = null;
        Origin = null;
    }
}
